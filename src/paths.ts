import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whether running from src/ (tsx) or dist/ (compiled). */
export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
