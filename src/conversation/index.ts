// The conversation's public entry: what other features may use of it.
export { Attachments, type StoredFile } from './attachments.js';
export { UploadRejected, type IncomingFile, type PreparedFile } from './files.js';
export type { RequestAccess } from './policy.js';
export { addComment, conversationOf, openAttachment, type ConversationDeps } from './service.js';
export { conversationColumns, conversationRows, notesByRole, type ConversationJson } from './queries.js';
export { contentDisposition, conversationRoutes, type DetailRenderer } from './routes.js';
export { INLINE_TYPES } from './files.js';
export { SEARCH_LIMIT, searchRequests, type RequestScope } from './search.js';
export { incomingDirOf, UPLOAD_FIELD } from './uploads.js';
export { LocalDiskStorage } from './storage.js';
export { multipartParser } from './uploads.js';
