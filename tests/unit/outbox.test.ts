import { describe, expect, it } from "vitest";
import { ManualClock } from "../../app/clock.server";
import { enqueueMail } from "../../app/mail/outbox.server";
import { createTestDatabase, databaseKinds } from "../support/databases";

const letter = {
  subject: "Тема",
  text: "Текст",
  html: "<p>Текст</p>",
  recipient: "ivanova@example.ru",
  purpose: "test",
};

describe.each(databaseKinds)("enqueueMail on %s", (kind) => {
  it("writes the letter with each of its attachments, kept or made at sending, under the letter's id", async () => {
    const database = await createTestDatabase(kind);
    try {
      const db = database.handle.db;
      const clock = new ManualClock("2026-11-23T09:00:00.000Z");
      const plain = await enqueueMail(db, clock, letter);
      const id = await enqueueMail(db, clock, {
        ...letter,
        attachments: [
          {
            filename: "kvitanciya-1.pdf",
            contentType: "application/pdf",
            generated: { kind: "report-receipt", ref: 7 },
          },
          { filename: "spisok.txt", contentType: "text/plain", content: Buffer.from("строка") },
        ],
      });
      expect(id).toBeGreaterThan(plain);
      const letters = await db.selectFrom("outbox").select(["id", "subject", "status"]).orderBy("id").execute();
      expect(letters).toEqual([
        { id: plain, subject: "Тема", status: "pending" },
        { id, subject: "Тема", status: "pending" },
      ]);
      const files = await db
        .selectFrom("outbox_attachments")
        .select(["outbox_id", "filename", "content_type", "content", "generated", "generated_ref"])
        .orderBy("filename")
        .execute();
      expect(files.map((f) => ({ ...f, content: Buffer.from(f.content).toString("utf8") }))).toEqual([
        {
          outbox_id: id,
          filename: "kvitanciya-1.pdf",
          content_type: "application/pdf",
          content: "",
          generated: "report-receipt",
          generated_ref: 7,
        },
        {
          outbox_id: id,
          filename: "spisok.txt",
          content_type: "text/plain",
          content: "строка",
          generated: null,
          generated_ref: null,
        },
      ]);
    } finally {
      await database.dispose();
    }
  });

  it("leaves neither the letter nor an attachment when the write fails", async () => {
    const database = await createTestDatabase(kind);
    try {
      const db = database.handle.db;
      const clock = new ManualClock("2026-11-23T09:00:00.000Z");
      // No such user: the letter's foreign key refuses it, inside the caller's transaction.
      await expect(
        db.transaction().execute((trx) =>
          enqueueMail(trx, clock, {
            ...letter,
            userId: 999_999,
            attachments: [{ filename: "a.txt", contentType: "text/plain", content: Buffer.from("a") }],
          }),
        ),
      ).rejects.toThrow();
      expect(await db.selectFrom("outbox").select("id").execute()).toEqual([]);
      expect(await db.selectFrom("outbox_attachments").select("id").execute()).toEqual([]);
    } finally {
      await database.dispose();
    }
  });
});
