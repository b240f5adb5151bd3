import { handleCliRequest } from '@/server/cli/cli-http-handler';

export const dynamic = 'force-dynamic';

export const POST = handleCliRequest;
