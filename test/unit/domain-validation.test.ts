import {
  AssetStatusDto,
  CaseFileDto,
  CloseDto,
  CreateTraceRequestDto,
  ExtendDeadlineDto,
  GatewayDecisionDto,
  GatewayResponseDto,
  InterpolSubmissionDto,
  JurisdictionResponseDto,
  LoginDto,
  QueryAnswerDto,
  ReviewDto,
  SubjectDto,
  TraceAssetDto,
  UpdateTraceRequestDto,
  WithdrawDto,
  contentProblem,
  validateBody,
} from '../../libs/domain/src';
import { sampleContent, sampleDiffusion } from '../../libs/domain/src/testing/fixtures';

const NOW = '2025-06-01T12:00:00.000Z';
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function body(mutate: (b: Body) => void = () => undefined): Body {
  const b = JSON.parse(JSON.stringify(sampleContent())) as Body;
  mutate(b);
  return b;
}

function errorsOf(cls: new () => object, plain: unknown) {
  const r = validateBody(cls, plain, { now: NOW });
  return r.ok ? [] : r.errors;
}

describe('a valid body passes', () => {
  test.each<[string, unknown]>([
    ['full notice', sampleContent()],
    ['diffusion', sampleDiffusion()],
    ['notice to all members', sampleContent({ targetCountries: undefined, allMembers: true })],
    ['notice with allMembers: false and targets', sampleContent({ allMembers: false })],
    [
      'minimal notice (optional fields left out)',
      body((b) => {
        delete b.subject.aliases;
        delete b.subject.identityDocuments;
        delete b.offences[0].from;
        delete b.offences[0].to;
        delete b.legalBasis.issuedOn;
        b.assets = [{ type: 'other', description: 'Unknown holdings' }];
      }),
    ],
  ])('%s', (_l, plain) => {
    const r = validateBody(CreateTraceRequestDto, plain, { now: NOW });
    expect(r).toMatchObject({ ok: true });
    expect(validateBody(UpdateTraceRequestDto, plain, { now: NOW }).ok).toBe(true);
  });

  test('the value is the DTO instance, nested classes included', () => {
    const r = validateBody(CreateTraceRequestDto, sampleContent(), { now: NOW });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.value).toBeInstanceOf(CreateTraceRequestDto);
    expect(r.value.subject).toBeInstanceOf(SubjectDto);
    expect(r.value.assets[0]).toBeInstanceOf(TraceAssetDto);
    expect(r.value.assets[0].estimatedValue?.amount).toBe('1250000.00');
  });

  test('the fixture routes in the pure rules too', () => {
    expect(contentProblem(sampleContent())).toBeUndefined();
  });
});

describe('each bad field is named by its exact path', () => {
  const rows: [string, (b: Body) => void, string[], RegExp][] = [
    [
      'bad nationality',
      (b) => (b.subject.nationalities[1] = 'XX'),
      ['subject.nationalities[1]'],
      /nationalities\[1\] must be an ISO 3166-1 alpha-2/,
    ],
    ['lower-case country', (b) => (b.targetCountries[0] = 'fr'), ['targetCountries[0]'], /alpha-2/],
    [
      'bad issuing country',
      (b) => (b.subject.identityDocuments[0].issuingCountry = 'ZZ'),
      ['subject.identityDocuments[0].issuingCountry'],
      /alpha-2/,
    ],
    [
      'bad suspected country',
      (b) => (b.assets[2].suspectedCountry = 'Italy'),
      ['assets[2].suspectedCountry'],
      /alpha-2/,
    ],
    [
      'bad currency',
      (b) => (b.assets[1].estimatedValue.currency = 'EURO'),
      ['assets[1].estimatedValue.currency'],
      /ISO 4217/,
    ],
    [
      'lower-case currency',
      (b) => (b.assets[1].estimatedValue.currency = 'eur'),
      ['assets[1].estimatedValue.currency'],
      /ISO 4217/,
    ],
    [
      'amount as a number',
      (b) => (b.assets[0].estimatedValue.amount = 1250000),
      ['assets[0].estimatedValue.amount'],
      /positive decimal string/,
    ],
    [
      'zero amount',
      (b) => (b.assets[0].estimatedValue.amount = '0.00'),
      ['assets[0].estimatedValue.amount'],
      /positive/,
    ],
    [
      'negative amount',
      (b) => (b.assets[0].estimatedValue.amount = '-5'),
      ['assets[0].estimatedValue.amount'],
      /positive/,
    ],
    [
      'amount with 5 decimals',
      (b) => (b.assets[0].estimatedValue.amount = '1.00001'),
      ['assets[0].estimatedValue.amount'],
      /decimal/,
    ],
    [
      'missing currency',
      (b) => delete b.assets[0].estimatedValue.currency,
      ['assets[0].estimatedValue.currency'],
      /currency is required/,
    ],
    [
      'unknown root field',
      (b) => (b.priority = 'high'),
      ['priority'],
      /property priority should not exist/,
    ],
    [
      'unknown nested field',
      (b) => (b.subject.middleName = 'J'),
      ['subject.middleName'],
      /property middleName should not exist/,
    ],
    [
      'unknown field in a list item',
      (b) => (b.assets[2].colour = 'red'),
      ['assets[2].colour'],
      /should not exist/,
    ],
    [
      'unknown identifier',
      (b) => (b.assets[0].identifiers.swift = 'X'),
      ['assets[0].identifiers.swift'],
      /should not exist/,
    ],
    [
      'overlong name',
      (b) => (b.subject.familyName = 'x'.repeat(201)),
      ['subject.familyName'],
      /at most 200/,
    ],
    [
      'overlong facts summary',
      (b) => (b.factsSummary = 'x'.repeat(10001)),
      ['factsSummary'],
      /at most 10000/,
    ],
    [
      'overlong asset description',
      (b) => (b.assets[1].description = 'x'.repeat(2001)),
      ['assets[1].description'],
      /at most 2000/,
    ],
    [
      'overlong alias',
      (b) => (b.subject.aliases = ['ok', 'x'.repeat(201)]),
      ['subject.aliases[1]'],
      /at most 200/,
    ],
    [
      'too many assets',
      (b) => (b.assets = Array.from({ length: 201 }, () => ({ type: 'cash', description: 'c' }))),
      ['assets'],
      /at most 200/,
    ],
    ['no assets', (b) => (b.assets = []), ['assets'], /at least 1/],
    [
      'too many target countries',
      (b) => (b.targetCountries = Array.from({ length: 196 }, () => 'FR')),
      ['targetCountries'],
      /at most 195/,
    ],
    [
      'repeated target country',
      (b) => (b.targetCountries = ['FR', 'IT', 'FR']),
      ['targetCountries'],
      /repeat/,
    ],
    ['empty target countries', (b) => (b.targetCountries = []), ['targetCountries'], /at least 1/],
    [
      'no nationality',
      (b) => (b.subject.nationalities = []),
      ['subject.nationalities'],
      /at least 1/,
    ],
    [
      'missing root field',
      (b) => delete b.caseReference,
      ['caseReference'],
      /caseReference is required/,
    ],
    ['null root field', (b) => (b.factsSummary = null), ['factsSummary'], /required/],
    [
      'missing nested field',
      (b) => delete b.subject.dateOfBirth,
      ['subject.dateOfBirth'],
      /required/,
    ],
    [
      'missing field in a list item',
      (b) => delete b.offences[1].legalProvision,
      ['offences[1].legalProvision'],
      /required/,
    ],
    ['blank string', (b) => (b.requestingAgency = '   '), ['requestingAgency'], /blank/],
    ['number for a string', (b) => (b.caseReference = 42), ['caseReference'], /must be a string/],
    ['bad kind', (b) => (b.kind = 'memo'), ['kind'], /notice, diffusion/],
    ['bad language', (b) => (b.language = 'de'), ['language'], /en, fr, es, ar/],
    ['bad urgency', (b) => (b.urgency = 'asap'), ['urgency'], /normal, urgent/],
    ['bad purpose', (b) => (b.purposes = ['locate', 'seize']), ['purposes[1]'], /locate, identify/],
    ['repeated purpose', (b) => (b.purposes = ['locate', 'locate']), ['purposes'], /repeat/],
    [
      'bad offence category',
      (b) => (b.offences[0].category = 'treason'),
      ['offences[0].category'],
      /fraud/,
    ],
    ['bad asset type', (b) => (b.assets[0].type = 'gold'), ['assets[0].type'], /real_estate/],
    [
      'bad legal basis type',
      (b) => (b.legalBasis.type = 'hunch'),
      ['legalBasis.type'],
      /court_order/,
    ],
    [
      'bad document type',
      (b) => (b.subject.identityDocuments[0].type = 'library_card'),
      ['subject.identityDocuments[0].type'],
      /passport/,
    ],
    [
      'birth in the future',
      (b) => (b.subject.dateOfBirth = '2030-01-01'),
      ['subject.dateOfBirth'],
      /in the past/,
    ],
    [
      'birth today',
      (b) => (b.subject.dateOfBirth = '2025-06-01'),
      ['subject.dateOfBirth'],
      /in the past/,
    ],
    [
      'birth before 1900',
      (b) => (b.subject.dateOfBirth = '1850-01-01'),
      ['subject.dateOfBirth'],
      /1900-01-01/,
    ],
    [
      'impossible date',
      (b) => (b.subject.dateOfBirth = '1971-02-29'),
      ['subject.dateOfBirth'],
      /YYYY-MM-DD/,
    ],
    [
      'date-time for a date',
      (b) => (b.subject.dateOfBirth = '1971-04-23T00:00:00Z'),
      ['subject.dateOfBirth'],
      /YYYY-MM-DD/,
    ],
    [
      'offence ends before it starts',
      (b) => (b.offences[0].to = '2015-01-01'),
      ['offences[0].to'],
      /not be before from/,
    ],
    [
      'order issued in the future',
      (b) => (b.legalBasis.issuedOn = '2026-01-01'),
      ['legalBasis.issuedOn'],
      /future/,
    ],
    [
      'bad IBAN checksum',
      (b) => (b.assets[0].identifiers.iban = 'IT61X0542811101000000123456'),
      ['assets[0].identifiers.iban'],
      /IBAN/,
    ],
    [
      'bad IMO check digit',
      (b) => (b.assets[1].identifiers.imo = 'IMO 1234568'),
      ['assets[1].identifiers.imo'],
      /check digit/,
    ],
    [
      'bad VIN',
      (b) => (b.assets[1].identifiers = { vin: 'WVWZZZ1JZXW00000I' }),
      ['assets[1].identifiers.vin'],
      /vehicle identification/,
    ],
    ['subject not an object', (b) => (b.subject = 'Mokoena'), ['subject'], /must be an object/],
    [
      'offences not a list',
      (b) => (b.offences = { category: 'fraud' }),
      ['offences'],
      /must be a list/,
    ],
    [
      'list item not an object',
      (b) => (b.assets[0] = 'a house'),
      ['assets[0]'],
      /assets\[0\] must be an object/,
    ],
    ['allMembers as a string', (b) => (b.allMembers = 'true'), ['allMembers'], /true or false/],
    [
      'notice without targets or allMembers',
      (b) => delete b.targetCountries,
      ['targetCountries'],
      /targetCountries is required, unless a notice says allMembers: true/,
    ],
    [
      'notice with both targets and allMembers',
      (b) => (b.allMembers = true),
      ['allMembers'],
      /not both/,
    ],
    [
      'diffusion to all members',
      (b) => {
        b.kind = 'diffusion';
        delete b.targetCountries;
        b.allMembers = true;
      },
      ['targetCountries', 'allMembers'],
      /targetCountries is required/,
    ],
  ];

  test.each(rows)('%s', (_l, mutate, fields, message) => {
    const errors = errorsOf(CreateTraceRequestDto, body(mutate));
    expect(errors.map((e) => e.field)).toEqual(fields);
    expect(errors[0].message).toMatch(message);
  });

  test('several bad fields: all are reported, one entry per field', () => {
    const errors = errorsOf(
      CreateTraceRequestDto,
      body((b) => {
        b.subject.nationalities = ['ZA', 'XX', 'YY'];
        b.assets[2].estimatedValue = { amount: '5', currency: 'BTC' };
        b.kind = undefined;
        b.foo = 1;
      }),
    );
    expect(errors.map((e) => e.field).sort()).toEqual(
      [
        'assets[2].estimatedValue.currency',
        'foo',
        'kind',
        'subject.nationalities[1]',
        'subject.nationalities[2]',
      ].sort(),
    );
  });

  test.each<[string, unknown]>([
    ['null', null],
    ['a list', [sampleContent()]],
    ['a string', 'notice'],
  ])('a body that is %s is refused as a whole', (_l, plain) => {
    expect(errorsOf(CreateTraceRequestDto, plain)).toEqual([
      { field: '', message: 'the body must be a JSON object' },
    ]);
  });

  test('prototype keys are refused by name, wherever they are', () => {
    const plain = JSON.parse('{"kind":"notice","subject":{"__proto__":{"admin":true}}}');
    expect(errorsOf(CreateTraceRequestDto, plain)).toEqual([
      { field: 'subject.__proto__', message: 'property __proto__ should not exist' },
    ]);
  });
});

describe('the other bodies', () => {
  const response = {
    outcome: 'assets_found',
    externalReference: 'FR-NCB-2025-0311',
    assets: [
      {
        type: 'real_estate',
        description: 'Villa, Antibes',
        holder: 'SCI Azur Holdings',
        identifiers: { registryNumber: 'AB-1234' },
        estimatedValue: { amount: '2400000.00', currency: 'EUR' },
      },
    ],
    narrative: 'Land registry and bank records checked.',
    handlingCode: 'H1',
    sourceReliability: 'B',
    informationAccuracy: '2',
  };

  // [dto, label, body, fields with errors ([] = valid)]
  const rows: [new () => object, string, unknown, string[]][] = [
    [ReviewDto, 'approve without comment', { decision: 'approve' }, []],
    [ReviewDto, 'approve with empty comment', { decision: 'approve', comment: '' }, []],
    [ReviewDto, 'reject with comment', { decision: 'reject', comment: 'No legal basis' }, []],
    [ReviewDto, 'reject without comment', { decision: 'reject' }, ['comment']],
    [
      ReviewDto,
      'request changes with blank comment',
      { decision: 'request_changes', comment: ' ' },
      ['comment'],
    ],
    [ReviewDto, 'unknown decision', { decision: 'yes' }, ['decision']],
    [
      ReviewDto,
      'overlong comment',
      { decision: 'approve', comment: 'x'.repeat(2001) },
      ['comment'],
    ],
    [
      InterpolSubmissionDto,
      'both attested',
      { attestation: { article3Neutrality: true, dataQualityChecked: true } },
      [],
    ],
    [InterpolSubmissionDto, 'attestation missing', {}, ['attestation']],
    [
      InterpolSubmissionDto,
      'false',
      { attestation: { article3Neutrality: false, dataQualityChecked: true } },
      ['attestation.article3Neutrality'],
    ],
    [
      InterpolSubmissionDto,
      '"true" is not true',
      { attestation: { article3Neutrality: true, dataQualityChecked: 'true' } },
      ['attestation.dataQualityChecked'],
    ],
    [
      InterpolSubmissionDto,
      'extra attestation',
      { attestation: { article3Neutrality: true, dataQualityChecked: true, quota: true } },
      ['attestation.quota'],
    ],
    [QueryAnswerDto, 'answer', { answer: 'The High Court.' }, []],
    [QueryAnswerDto, 'empty answer', { answer: '' }, ['answer']],
    [WithdrawDto, 'reason', { reason: 'Purpose achieved' }, []],
    [WithdrawDto, 'no reason', {}, ['reason']],
    [CloseDto, 'summary', { summary: 'Done' }, []],
    [CloseDto, 'overlong summary', { summary: 'x'.repeat(10001) }, ['summary']],
    [JurisdictionResponseDto, 'assets found', response, []],
    [
      JurisdictionResponseDto,
      'acknowledged only',
      { outcome: 'acknowledged', externalReference: 'FR-1' },
      [],
    ],
    [
      JurisdictionResponseDto,
      'declined with reason',
      { outcome: 'declined', externalReference: 'FR-2', narrative: 'No dual criminality' },
      [],
    ],
    [
      JurisdictionResponseDto,
      'declined without reason',
      { outcome: 'declined', externalReference: 'FR-2' },
      ['narrative'],
    ],
    [
      JurisdictionResponseDto,
      'assets on no_assets',
      { ...response, outcome: 'no_assets' },
      ['assets'],
    ],
    [JurisdictionResponseDto, 'bad outcome', { ...response, outcome: 'found' }, ['outcome']],
    [
      JurisdictionResponseDto,
      'bad handling code',
      { ...response, handlingCode: 'H7' },
      ['handlingCode'],
    ],
    [
      JurisdictionResponseDto,
      'bad reliability',
      { ...response, sourceReliability: 'E' },
      ['sourceReliability'],
    ],
    [
      JurisdictionResponseDto,
      'bad accuracy',
      { ...response, informationAccuracy: 5 },
      ['informationAccuracy'],
    ],
    [
      JurisdictionResponseDto,
      'unknown handling code, lower case',
      { ...response, handlingCode: 'h1' },
      ['handlingCode'],
    ],
    [
      JurisdictionResponseDto,
      'accuracy 0',
      { ...response, informationAccuracy: 0 },
      ['informationAccuracy'],
    ],
    [
      JurisdictionResponseDto,
      'H3 with its restriction',
      {
        ...response,
        handlingCode: 'H3',
        handlingRestriction: 'Not to be shared with tax authorities',
      },
      [],
    ],
    [
      JurisdictionResponseDto,
      'H3 without its restriction',
      { ...response, handlingCode: 'H3' },
      ['handlingRestriction'],
    ],
    [
      JurisdictionResponseDto,
      'H3 with a blank restriction',
      { ...response, handlingCode: 'H3', handlingRestriction: '  ' },
      ['handlingRestriction'],
    ],
    [
      JurisdictionResponseDto,
      'a restriction on an H2 answer',
      { ...response, handlingCode: 'H2', handlingRestriction: 'Ask first' },
      ['handlingRestriction'],
    ],
    [
      JurisdictionResponseDto,
      'a restriction without a code',
      { ...response, handlingCode: undefined, handlingRestriction: 'Ask first' },
      ['handlingRestriction'],
    ],
    [
      JurisdictionResponseDto,
      'no external reference',
      { outcome: 'acknowledged' },
      ['externalReference'],
    ],
    [
      JurisdictionResponseDto,
      'nested bad currency',
      {
        ...response,
        assets: [{ ...response.assets[0], estimatedValue: { amount: '1', currency: 'XYZ' } }],
      },
      ['assets[0].estimatedValue.currency'],
    ],
    [
      AssetStatusDto,
      'frozen',
      { status: 'FROZEN', mlaReference: 'MLA-ZA-FR-2025-7', note: 'Court of Nice' },
      [],
    ],
    [AssetStatusDto, 'bad status', { status: 'MELTED', mlaReference: 'MLA-1' }, ['status']],
    [AssetStatusDto, 'no MLA reference', { status: 'FROZEN' }, ['mlaReference']],
    [
      GatewayDecisionDto,
      'published',
      { reference: 'SN-ZA-2025-0001', decision: 'published', noticeId: 'SN-2025-000123' },
      [],
    ],
    [
      GatewayDecisionDto,
      'refused with reasons',
      { reference: 'SN-ZA-2025-0001', decision: 'refused', reasons: ['Article 3'] },
      [],
    ],
    [
      GatewayDecisionDto,
      'refused without reasons',
      { reference: 'SN-ZA-2025-0001', decision: 'refused' },
      ['reasons'],
    ],
    [
      GatewayDecisionDto,
      'blank reason',
      { reference: 'SN-ZA-2025-0001', decision: 'refused', reasons: ['ok', ''] },
      ['reasons[1]'],
    ],
    [
      GatewayDecisionDto,
      'query without question',
      { reference: 'SN-ZA-2025-0001', decision: 'query' },
      ['question'],
    ],
    [
      GatewayDecisionDto,
      'bad decision',
      { reference: 'SN-ZA-2025-0001', decision: 'accepted' },
      ['decision'],
    ],
    [
      GatewayResponseDto,
      'relayed answer',
      {
        reference: 'SN-ZA-2025-0001',
        country: 'FR',
        outcome: 'no_assets',
        externalReference: 'FR-9',
      },
      [],
    ],
    [
      GatewayResponseDto,
      'country name for code',
      {
        reference: 'SN-ZA-2025-0001',
        country: 'France',
        outcome: 'no_assets',
        externalReference: 'FR-9',
      },
      ['country'],
    ],
    [
      GatewayResponseDto,
      'relayed H3 without its restriction, bad grading',
      {
        reference: 'SN-ZA-2025-0001',
        country: 'FR',
        outcome: 'no_assets',
        externalReference: 'FR-9',
        handlingCode: 'H3',
        sourceReliability: 'Z',
        informationAccuracy: '9',
      },
      ['handlingRestriction', 'sourceReliability', 'informationAccuracy'],
    ],
    [
      GatewayResponseDto,
      'missing routing',
      { outcome: 'no_assets', externalReference: 'FR-9' },
      ['reference', 'country'],
    ],
    [LoginDto, 'credentials', { username: 'investigator.za', password: 'demo-password' }, []],
    [
      LoginDto,
      'a password of spaces is a password',
      { username: 'investigator.za', password: '   ' },
      [],
    ],
    [LoginDto, 'nothing', {}, ['username', 'password']],
    [LoginDto, 'empty password', { username: 'investigator.za', password: '' }, ['password']],
    [LoginDto, 'extra field', { username: 'u', password: 'p', role: 'admin' }, ['role']],
    [
      ExtendDeadlineDto,
      'date-time',
      { newDeadline: '2025-07-01T00:00:00Z', reason: 'Bank records' },
      [],
    ],
    [ExtendDeadlineDto, 'date only', { newDeadline: '2025-07-01' }, ['newDeadline']],
    [CaseFileDto, 'no permission', {}, []],
    [
      CaseFileDto,
      'a permission',
      {
        permissions: [{ answerId: '0b7c6c8e-3f52-4a55-9a51-0d0b1f4a2c11', reference: 'FR-PERM-1' }],
      },
      [],
    ],
    [
      CaseFileDto,
      'a permission without reference, one not naming an answer',
      {
        permissions: [
          { answerId: '0b7c6c8e-3f52-4a55-9a51-0d0b1f4a2c11' },
          { answerId: 'answer-1', reference: 'FR-PERM-2' },
        ],
      },
      ['permissions[0].reference', 'permissions[1].answerId'],
    ],
  ];

  test.each(
    rows.map(([cls, label, plain, fields]) => [cls.name, label, plain, fields, cls] as const),
  )('%s: %s', (_n, _l, plain, fields, cls) => {
    expect(errorsOf(cls, plain).map((e) => e.field)).toEqual(fields);
  });

  test('a numeric information accuracy is read as its string grade', () => {
    const r = validateBody(JurisdictionResponseDto, { ...response, informationAccuracy: 2 });
    expect(r.ok && r.value.informationAccuracy).toBe('2');
  });

  test('a lone refusal reason is read as a list of one', () => {
    const r = validateBody(GatewayDecisionDto, {
      reference: 'R',
      decision: 'refused',
      reasons: 'Article 3',
    });
    expect(r.ok && r.value.reasons).toEqual(['Article 3']);
  });
});
