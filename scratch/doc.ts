import { loadConfig } from '../src/config.js';
import { buildOpenApi } from '../src/api/index.js';
import { requestOperations } from '../src/api/request-routes.js';
import { orgOperations } from '../src/api/org-routes.js';
const ops = [...requestOperations({} as never), ...orgOperations({} as never)];
try { console.log(JSON.stringify(buildOpenApi(ops, 'http://x')).length); } catch (e) { console.error(e); }
