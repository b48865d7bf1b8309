// Domain errors of accounts, turned into a status and a Russian message by the routes.
export class FieldErrors extends Error {
  constructor(public readonly fieldErrors: Record<string, string>) {
    super("Invalid input");
    this.name = "FieldErrors";
  }
}

export class EmailTakenError extends Error {
  constructor() {
    super("Email already registered");
    this.name = "EmailTakenError";
  }
}

export class RateLimitedError extends Error {
  constructor(public readonly retryAfterMinutes: number) {
    super("Rate limited");
    this.name = "RateLimitedError";
  }
}
