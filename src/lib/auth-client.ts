'use client';

import { createAuthClient } from 'better-auth/react';

// Generic OAuth providers (our configurable Google) register as social providers:
// `authClient.signIn.social({ provider: 'google' })`.
export const authClient = createAuthClient();
