/** A bad argument or unreadable path: exit code 2 with the message. */
export class UsageError extends Error {}
