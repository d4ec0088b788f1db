import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { api, session, setUnauthorizedHandler } from './api';
import type { User } from './api';

interface AuthState {
  user: User | null;
  signIn(username: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  /** Whether the user holds one of these roles. */
  is(...roles: string[]): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

interface TokenAnswer {
  access_token: string;
  user: User;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(session.user());

  useEffect(() => {
    setUnauthorizedHandler(() => {
      session.clear();
      setUser(null);
    });
  }, []);

  const signIn = useCallback(async (username: string, password: string) => {
    const answer = await api<TokenAnswer>('POST', '/auth/token', { body: { username, password } });
    session.save(answer.access_token, answer.user);
    setUser(answer.user);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api('POST', '/auth/logout');
    } catch {
      // the token may already be gone; signing out locally is what matters
    }
    session.clear();
    setUser(null);
  }, []);

  const value = useMemo<AuthState>(
    () => ({
      user,
      signIn,
      signOut,
      is: (...roles: string[]) => !!user && roles.some((r) => user.roles.includes(r)),
    }),
    [user, signIn, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
