import { z } from 'zod';

export const deletionSchema = z.object({ confirmName: z.string().trim().max(200) });

export const downloadTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);
