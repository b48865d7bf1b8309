// Domain errors of proxies, each with its status and Russian message.
export class ProxyError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = "ProxyError";
  }
}

export class ProxyNotFoundError extends ProxyError {
  constructor() {
    super("Доверенность не найдена.", 404);
    this.name = "ProxyNotFoundError";
  }
}

export class CertificateRequiredError extends ProxyError {
  constructor() {
    super("Сначала загрузите действующий сертификат подписи в разделе «Уполномоченный».", 409);
    this.name = "CertificateRequiredError";
  }
}
