// Who may do what on the public portal. A guest holds a status link (number + address proven by mail); the link
// shows one request and lets its guest reply.
import type { RequestStatus } from '../generated/prisma/client.js';

/** A guest may reply on the status page while the request is alive or finished (not once cancelled or rejected). */
export function mayReplyAsGuest(request: { status: RequestStatus }): boolean {
  return request.status !== 'CANCELLED' && request.status !== 'REJECTED';
}
