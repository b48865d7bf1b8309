// Where letters go: SMTP when SMTP_URL is set, otherwise .eml files in MAIL_DIR that a person can open.
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer from "nodemailer";

export interface MailMessage {
  /** The outbox row's id: makes the Message-ID and the file name stable across retries. */
  id: number;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments?: Array<{ filename: string; contentType: string; content: Buffer }>;
}

export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

function messageId(message: MailMessage, appHost: string): string {
  return `<outbox-${message.id}@${appHost}>`;
}

export function createSmtpTransport(smtpUrl: string, appHost: string): MailTransport {
  const transporter = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transporter.sendMail({ ...message, messageId: messageId(message, appHost) });
    },
    close: () => transporter.close(),
  };
}

export function createFileTransport(mailDir: string, appHost: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return {
    async send(message) {
      const info = await transporter.sendMail({ ...message, messageId: messageId(message, appHost) });
      await fs.mkdir(mailDir, { recursive: true });
      const name = `${String(message.id).padStart(8, "0")}-${message.to.replace(/[^a-zA-Z0-9@._-]/g, "_")}.eml`;
      const tmp = path.join(mailDir, `.${name}.tmp`);
      await fs.writeFile(tmp, info.message as Buffer);
      await fs.rename(tmp, path.join(mailDir, name));
    },
    close: () => transporter.close(),
  };
}

export function createMailTransport(config: { smtpUrl?: string; mailDir: string; appUrl: string }): MailTransport {
  const host = new URL(config.appUrl).hostname;
  return config.smtpUrl ? createSmtpTransport(config.smtpUrl, host) : createFileTransport(config.mailDir, host);
}
