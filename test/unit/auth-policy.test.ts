import { Controller, Get, Post } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { Action } from '../../apps/api/src/auth/decorators';
import { allows, POLICY, rolesFor, type Access } from '../../apps/api/src/auth/policy';
import { PolicyCheck } from '../../apps/api/src/auth/policy-check';
import { passwordProblems } from '../../apps/api/src/auth/users.service';
import { ADMIN_ROLES } from '../../libs/domain/src/admin-scope';
import { ROLES } from '../../libs/domain/src/enums';

@Controller('ok')
class Declared {
  @Get()
  @Action('trace-requests.list')
  list(): string {
    return 'ok';
  }

  helper(): string {
    return 'not a route';
  }
}

@Controller('forgotten')
class Undeclared {
  @Get()
  @Action('trace-requests.list')
  list(): string {
    return 'ok';
  }

  @Post('new')
  added(): string {
    return 'no @Action';
  }
}

const boot = async (controller: new () => object) => {
  const mod = await Test.createTestingModule({
    imports: [DiscoveryModule],
    controllers: [controller],
    providers: [PolicyCheck],
  }).compile();
  await mod.init();
  await mod.close();
};

describe('authorization policy', () => {
  it('boots when every route names a policy action', async () => {
    await expect(boot(Declared)).resolves.toBeUndefined();
  });

  it('refuses to boot when a route names none, naming it', async () => {
    await expect(boot(Undeclared)).rejects.toThrow('Undeclared.added');
  });

  it('names only known roles, and keeps auditors off writes and admins off cases', () => {
    for (const [action, access] of Object.entries(POLICY) as [string, Access][]) {
      if (typeof access === 'string') continue;
      for (const role of access) expect(ROLES).toContain(role);
      // admin.* manages the pilot itself (users, quotas, countries, deadlines): admins only, a
      // country's (scoped to it: libs/domain admin-scope) and INTERPOL's.
      if (action.startsWith('admin.')) {
        expect({ action, access }).toEqual({ action, access: ['admin', 'interpol_admin'] });
        continue;
      }
      expect({ action, admin: access.some((r) => ADMIN_ROLES.includes(r)) }).toEqual({
        action,
        admin: false,
      });
      // Reads by name, the auditors' own audit reads (replay computes and writes nothing), the
      // case-file export (a read of the case, audited like audit.export) and decoding payloads
      // through the codec server (a read).
      if (
        !/\.(list|get|for-request|history|case-file)$|^audit\.(verify|entries|export|replay|checkpoints)$|^codec\.decode$/.test(
          action,
        )
      ) {
        expect({ action, auditor: access.includes('auditor') }).toEqual({ action, auditor: false });
      }
    }
  });

  it('answers from the table', () => {
    expect(allows('trace-requests.review', ['supervisor'])).toBe(true);
    expect(allows('trace-requests.review', ['investigator', 'auditor'])).toBe(false);
    expect(allows('notifications.list', ['admin'])).toBe(true);
    expect(allows('admin.users.update', ['admin'])).toBe(true);
    expect(allows('admin.users.update', ['supervisor', 'ncb_officer', 'auditor'])).toBe(false);
    expect(rolesFor('assets.move')).toEqual(['investigator', 'ncb_officer']);
    expect(() => rolesFor('auth.token')).toThrow('not restricted');
  });
});

describe('password policy', () => {
  it.each([
    ['investigator.za', 'correct horse battery staple', []],
    ['investigator.za', 'short-11chr', ['at least 12']],
    ['investigator.za', 'INVESTIGATOR.ZA', ['must not contain the username']],
    ['investigator.za', 'my-investigator.za-2026!', ['must not contain the username']],
    ['bob', 'bob', ['at least 12', 'must not contain the username']],
  ])('%s / %s', (username, password, expected) => {
    const messages = passwordProblems(username, password).map((p) => p.message);
    expect(messages).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(messages[i]).toContain(e));
  });
});
