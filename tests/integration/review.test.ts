// The operators' workspace through the HTTP app: the office queue and its counters, the card, the PDF,
// the paper copy, decisions (and two racing), the representative's view and letters, the jobs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseKinds } from "../support/databases";
import { startTestApp, type TestApp } from "../support/app";
import { BrowserClient, textOf } from "../support/client";
import { createActiveUser, signedInClient } from "../support/users";
import {
  fixture,
  liveProxy,
  registryWith,
  representativeWithCertificate,
  setTerm,
  submittedProxy,
} from "../support/flow";
import { withInnCheckDigit, withOgrnCheckDigit } from "../../app/organizations/identifiers";
import { expireEndedProxies, sendPoaExpiryReminders, sendSlaDigests } from "../../app/review/jobs.server";
import { sha256Hex } from "../../app/accounts/tokens.server";

const ORGS = [
  {
    regnum: "7700800001",
    inn: "7707083893",
    kpp: "770701001",
    ogrn: "1027700132195",
    fullName: "Общество с ограниченной ответственностью «Ромашка»",
    shortName: "ООО «Ромашка»",
    address: "г. Москва",
  },
  {
    regnum: "7700800002",
    inn: withInnCheckDigit("770080000"),
    kpp: "770801001",
    ogrn: withOgrnCheckDigit("102770080000"),
    fullName: "Акционерное общество «Ромашка-Сервис»",
    shortName: "АО «Ромашка-Сервис»",
    address: "г. Москва",
  },
  {
    regnum: "2500800003",
    inn: withInnCheckDigit("250080000"),
    kpp: "250001001",
    ogrn: withOgrnCheckDigit("102250080000"),
    fullName: "Общество с ограниченной ответственностью «Приморская ромашка»",
    shortName: "ООО «Приморская ромашка»",
    address: "г. Владивосток",
  },
];

describe.each(databaseKinds)("operators' review over HTTP on %s", (kind) => {
  let app: TestApp;
  let ids: Record<string, number>;
  let op1: BrowserClient;
  let op1b: BrowserClient;
  let opOther: BrowserClient;
  let operatorIds: { op1: number; op1b: number };
  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 100 });
    ids = await registryWith(app, ORGS);
    const db = app.database.handle.db;
    const a = await createActiveUser(db, { surname: "Проверкина", givenName: "Ольга", patronymic: "" }, "operator");
    const b = await createActiveUser(db, { surname: "Второва", givenName: "Анна", patronymic: "" }, "operator");
    const c = await createActiveUser(db, { surname: "Приморова", givenName: "Ирина", patronymic: "" }, "operator");
    await db.updateTable("users").set({ territorial_body_code: "7700" }).where("id", "in", [a.id, b.id]).execute();
    await db.updateTable("users").set({ territorial_body_code: "2500" }).where("id", "=", c.id).execute();
    operatorIds = { op1: a.id, op1b: b.id };
    op1 = await signedInClient(app.url, a.email);
    op1b = await signedInClient(app.url, b.email);
    opOther = await signedInClient(app.url, c.email);
  });
  afterAll(async () => {
    await app?.close();
  });
  const db = () => app.database.handle.db;
  const resetClock = () => app.clock.set("2026-11-23T09:00:00.000Z");
  /** After the test clock jumps ahead, the operators' idle sessions have ended: sign in again. */
  async function freshSessions() {
    const email = async (where: (q: ReturnType<typeof db>) => Promise<{ email: string }>) => (await where(db())).email;
    op1 = await signedInClient(
      app.url,
      await email((d) =>
        d.selectFrom("users").select("email").where("id", "=", operatorIds.op1).executeTakeFirstOrThrow(),
      ),
    );
    opOther = await signedInClient(
      app.url,
      await email((d) =>
        d
          .selectFrom("users")
          .select("email")
          .where("territorial_body_code", "=", "2500")
          .where("role", "=", "operator")
          .executeTakeFirstOrThrow(),
      ),
    );
  }

  async function decide(client: BrowserClient, proxyId: number, fields: Record<string, string>) {
    await client.get(`/operator/proxies/${proxyId}`);
    return client.post(`/operator/proxies/${proxyId}`, fields);
  }

  it("the queue shows only the office's proxies under review, oldest deadline first, with counters", async () => {
    resetClock();
    const rep = await representativeWithCertificate(app);
    const first = await submittedProxy(app, rep, ids["7700800001"]);
    app.clock.advance(24 * 3600_000);
    rep.client = await signedInClient(app.url, rep.email); // a day later: a new session
    const second = await submittedProxy(app, rep, ids["7700800002"]);
    const primorye = await submittedProxy(app, rep, ids["2500800003"]);
    await freshSessions();
    const page = await op1.get("/operator");
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    for (const column of ["Поступила", "Проверить до", "Представитель", "Организация", "Статус"])
      // Each column header sorts the queue by it.
      expect(page.html).toMatch(
        new RegExp(`<th scope="col"[^>]*><a [^>]*href="[^"]*sort=[a-z]+[^"]*">${column}( [▲▼])?</a></th>`),
      );
    expect(text.indexOf("ООО «Ромашка»")).toBeLessThan(text.indexOf("АО «Ромашка-Сервис»"));
    expect(text).not.toContain("Приморская");
    expect(text).toContain("Иванова Мария Петровна");
    expect(text).toMatch(/На проверке 2 /);
    expect(textOf((await opOther.get("/operator")).html)).toContain("ООО «Приморская ромашка»");

    // Overdue: past the first deadline the row is highlighted and counted; the filter shows only it.
    // 09:01 in Moscow the morning after the first deadline.
    app.clock.set(new Date(new Date(first.sla_due_at!).getTime() + 9 * 3600_000 + 61_000).toISOString());
    await freshSessions();
    const later = await op1.get("/operator");
    expect(later.html).toContain('class="overdue"');
    expect(textOf(later.html)).toMatch(/Просрочено 1 /);
    expect(textOf(later.html)).toMatch(/Срок сегодня 1 /); // the second is due at the end of this day
    const overdueOnly = textOf((await op1.get("/operator?overdue=1")).html);
    expect(overdueOnly).toContain("ООО «Ромашка»");
    expect(overdueOnly).not.toContain("АО «Ромашка-Сервис»");
    const byInn = textOf((await op1.get(`/operator?q=${ORGS[1].inn}`)).html);
    expect(byInn).toContain("АО «Ромашка-Сервис»");
    expect(byInn).not.toContain("ООО «Ромашка» ");
    expect(textOf((await op1.get(`/operator?q=${encodeURIComponent("иванова")}`)).html)).toContain("ООО «Ромашка»");

    // The SLA digest: one per office and working morning, naming what is overdue and due today.
    const digests = await sendSlaDigests(db(), app.clock, app.url);
    expect(digests.sort()).toEqual(["2500", "7700"]);
    expect(await sendSlaDigests(db(), app.clock, app.url)).toEqual([]);
    await app.deliverMail();
    const digest = app.smtp.lastTo("office7700@sfr.example.ru");
    expect(digest.subject).toContain("просрочено 1, срок сегодня 1");
    expect(digest.text).toContain(`/operator/proxies/${first.id}`);
    expect(digest.text).toContain(`/operator/proxies/${second.id}`);
    // …and the branch's figures for the last 30 days.
    expect(digest.text).toMatch(
      /За 30 дней: решено \d+, .+ раб\. дн\. до решения; на проверке \d+, просрочено сейчас 1\./,
    );
    void primorye;
    resetClock();
  });

  it("the card shows the organisation, representative, certificate, checks and history; other offices get 404", async () => {
    resetClock();
    op1 = await signedInClient(
      app.url,
      (await db().selectFrom("users").select("email").where("id", "=", operatorIds.op1).executeTakeFirstOrThrow())
        .email,
    );
    opOther = await signedInClient(
      app.url,
      (
        await db()
          .selectFrom("users")
          .select("email")
          .where("territorial_body_code", "=", "2500")
          .executeTakeFirstOrThrow()
      ).email,
    );
    const rep = await representativeWithCertificate(app);
    const proxy = await submittedProxy(app, rep, ids["7700800001"]);
    const card = await op1.get(`/operator/proxies/${proxy.id}`);
    expect(card.status).toBe(200);
    const text = textOf(card.html);
    for (const s of [
      "Общество с ограниченной ответственностью «Ромашка»",
      "7707083893",
      "112-233-445 95",
      "973BFD10377C988B7726682263C87C20E14022DE",
      "с 01.11.2026 по 31.10.2027",
      "Открыть доверенность",
      "Направлена на проверку",
      "Сертификат представителя действует сейчас",
      "Сертификат квалифицированный: цепочка до аккредитованного УЦ проверена, не отозван",
      "издатель Тестовый УЦ ГОСТ 2012",
    ]) {
      expect(text).toContain(s);
    }
    expect(card.html).toContain(
      ">Бумажная копия получена</label>".replace("<", "").slice(0, 0) || "Бумажная копия получена",
    );
    const pdf = await fetch(`${app.url}/operator/proxies/${proxy.id}/file`, {
      headers: { Cookie: `sedo_session=${op1.cookie("sedo_session")}` },
    });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).equals(fixture("pdf", "poa-valid-1page.pdf"))).toBe(true);
    expect((await opOther.get(`/operator/proxies/${proxy.id}`)).status).toBe(404);
    expect((await opOther.get(`/operator/proxies/${proxy.id}/file`)).status).toBe(404);
    expect((await rep.client.get(`/operator/proxies/${proxy.id}`)).status).toBe(403);
    const denied = await db()
      .selectFrom("audit_events")
      .select("action")
      .where("actor_id", "=", rep.id)
      .where("action", "=", "access.denied")
      .execute();
    expect(denied.length).toBeGreaterThan(0);
  });

  it("«Утвердить» needs the paper copy; approval mails the representative, whose table shows «Утверждено» and the full name", async () => {
    resetClock();
    op1 = await signedInClient(
      app.url,
      (await db().selectFrom("users").select("email").where("id", "=", operatorIds.op1).executeTakeFirstOrThrow())
        .email,
    );
    const rep = await representativeWithCertificate(app);
    const proxy = await submittedProxy(app, rep, ids["7700800001"]);
    const early = await decide(op1, proxy.id, { intent: "approve", version: String(proxy.version) });
    expect(early.status).toBe(422);
    expect(textOf(early.html)).toContain("только после получения бумажной копии");
    const noBox = await decide(op1, proxy.id, {
      intent: "paper-copy",
      version: String(proxy.version),
      paperCopyDate: "2026-11-23",
    });
    expect(noBox.status).toBe(422);
    const future = await decide(op1, proxy.id, {
      intent: "paper-copy",
      version: String(proxy.version),
      paperCopy: "on",
      paperCopyDate: "2026-12-01",
    });
    expect(future.status).toBe(422);
    expect(
      (
        await decide(op1, proxy.id, {
          intent: "paper-copy",
          version: String(proxy.version),
          paperCopy: "on",
          paperCopyDate: "2026-11-23",
        })
      ).status,
    ).toBe(302);
    const marked = await liveProxy(app, rep.id, ids["7700800001"]);
    expect(marked.paper_copy_received_at).toBe("2026-11-23");
    expect((await decide(op1, proxy.id, { intent: "approve", version: String(marked.version) })).status).toBe(302);
    const approved = await liveProxy(app, rep.id, ids["7700800001"]);
    expect([approved.status, approved.decided_by]).toEqual(["approved", operatorIds.op1]);
    const table = await rep.client.get("/profile/representative");
    expect(table.html).toContain("status--approved");
    expect(textOf(table.html)).toContain("Общество с ограниченной ответственностью «Ромашка»");
    await app.deliverMail();
    const letter = app.smtp.lastTo(rep.email);
    expect(letter.subject).toContain("Доверенность утверждена");
    expect(letter.text).toContain("Общество с ограниченной ответственностью «Ромашка»");
    expect(textOf((await op1.get("/operator")).html)).toMatch(/Рассмотрено за неделю [1-9]/);
  });

  it("«Утвердить» with «Бумажная копия получена» ticked records both in one step; «Утвердить и открыть следующую» opens the next", async () => {
    resetClock();
    op1 = await signedInClient(
      app.url,
      (await db().selectFrom("users").select("email").where("id", "=", operatorIds.op1).executeTakeFirstOrThrow())
        .email,
    );
    const rep = await representativeWithCertificate(app);
    const first = await submittedProxy(app, rep, ids["7700800001"]);
    const second = await submittedProxy(app, rep, ids["7700800002"]);
    // A date in the future: neither the mark nor the decision is written.
    const future = await decide(op1, first.id, {
      intent: "approve",
      version: String(first.version),
      paperCopy: "on",
      paperCopyDate: "2026-12-01",
    });
    expect(future.status).toBe(422);
    expect(textOf(future.html)).toContain("Укажите дату получения бумажной копии");
    const untouched = await liveProxy(app, rep.id, ids["7700800001"]);
    expect([untouched.status, untouched.paper_copy_received_at, untouched.version]).toEqual([
      "in_review",
      null,
      first.version,
    ]);
    const approved = await decide(op1, first.id, {
      intent: "approve-next",
      version: String(first.version),
      paperCopy: "on",
      paperCopyDate: "2026-11-23",
    });
    expect(approved.status).toBe(302);
    const after = await liveProxy(app, rep.id, ids["7700800001"]);
    expect([after.status, after.paper_copy_received_at, after.decided_by]).toEqual([
      "approved",
      "2026-11-23",
      operatorIds.op1,
    ]);
    const actions = await db()
      .selectFrom("audit_events")
      .select("action")
      .where("subject_type", "=", "proxy")
      .where("subject_id", "=", String(first.id))
      .where("action", "in", ["proxy.paper_copy_received", "proxy.approved"])
      .orderBy("id")
      .execute();
    expect(actions.map((a) => a.action).slice(-2)).toEqual(["proxy.paper_copy_received", "proxy.approved"]);
    // The next one in the office's queue by deadline is opened (the second proxy, or an older one still in review).
    const location = approved.headers.get("location") ?? "";
    expect(location).toMatch(/^\/operator\/proxies\/\d+$/);
    expect(location).not.toBe(`/operator/proxies/${first.id}`);
    const inReview = await db()
      .selectFrom("proxies")
      .select("id")
      .where("office_code", "=", "7700")
      .where("status", "=", "in_review")
      .orderBy("sla_due_at")
      .orderBy("id")
      .execute();
    expect(location).toBe(`/operator/proxies/${inReview[0].id}`);
    expect(inReview.map((r) => r.id)).toContain(second.id);
  });

  it("the queue sorts by a column and filters by state; «Скачать CSV» and «Скачать XLSX» give every row of the filter", async () => {
    resetClock();
    op1 = await signedInClient(
      app.url,
      (await db().selectFrom("users").select("email").where("id", "=", operatorIds.op1).executeTakeFirstOrThrow())
        .email,
    );
    const rep = await representativeWithCertificate(app);
    await submittedProxy(app, rep, ids["7700800001"]);
    await submittedProxy(app, rep, ids["7700800002"]);
    const names = (html: string) =>
      [...html.matchAll(/<a [^>]*href="\/operator\/proxies\/\d+"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]);
    const asc = names((await op1.get("/operator?sort=organization&dir=asc")).html);
    const desc = names((await op1.get("/operator?sort=organization&dir=desc")).html);
    expect(asc.length).toBeGreaterThanOrEqual(2);
    expect(desc).toEqual([...asc].reverse());
    const page = await op1.get("/operator?sort=organization&dir=asc");
    expect(page.html).toContain('aria-sort="ascending"');
    // Nothing in review has its paper copy yet: «Бумажная копия получена» shows none, «Ждём» shows all.
    expect(names((await op1.get("/operator?state=paper-received")).html)).toEqual([]);
    expect(names((await op1.get("/operator?state=paper-awaited")).html).length).toBe(asc.length);
    const csv = await fetch(`${app.url}/operator/queue.csv?sort=organization&dir=asc`, {
      headers: { Cookie: `sedo_session=${op1.cookie("sedo_session")}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const text = Buffer.from(await csv.arrayBuffer()).toString("utf8");
    expect(text.startsWith("\uFEFFПоступила;Проверить до;Рабочих дней осталось;Представитель")).toBe(true);
    const lines = text.trim().split("\r\n");
    expect(lines.length).toBe(asc.length + 1);
    expect(lines[1]).toContain("Иванова Мария Петровна");
    expect(lines.slice(1).map((l) => l.split(";")[5])).toEqual(asc.map((n) => n.replaceAll("&quot;", '"')));
    const xlsx = await fetch(`${app.url}/operator/queue.xlsx`, {
      headers: { Cookie: `sedo_session=${op1.cookie("sedo_session")}` },
    });
    expect(xlsx.status).toBe(200);
    const ExcelJS = (await import("exceljs")).default;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = book.getWorksheet("Заявки")!;
    expect(sheet.getRow(1).getCell(6).value).toBe("Организация");
    expect(sheet.rowCount).toBe(asc.length + 1);
    // The other office's operator downloads their own queue, without these.
    const other = await fetch(`${app.url}/operator/queue.csv`, {
      headers: { Cookie: `sedo_session=${opOther.cookie("sedo_session")}` },
    });
    expect(Buffer.from(await other.arrayBuffer()).toString("utf8")).not.toContain("7700800001");
  });

  it("«Утвердить отмеченные»: a representative's other proxies that pass every automatic check, with one paper-copy mark", async () => {
    resetClock();
    op1 = await signedInClient(
      app.url,
      (await db().selectFrom("users").select("email").where("id", "=", operatorIds.op1).executeTakeFirstOrThrow())
        .email,
    );
    const rep = await representativeWithCertificate(app);
    const term: [string, string] = ["2026-11-01", "2027-10-01"];
    const here = await submittedProxy(app, rep, ids["7700800001"], term);
    const other = await submittedProxy(app, rep, ids["7700800002"], term);
    const card = await op1.get(`/operator/proxies/${here.id}`);
    const text = textOf(card.html);
    expect(text).toContain("Другие заявки этого представителя");
    expect(text).toContain("АО «Ромашка-Сервис» рег. № 7700800002 все пройдены");
    expect(card.html).toContain(`value="${other.id}:${other.version}"`);
    // Without the paper-copy mark nothing is approved, and the reason is named.
    const unmarked = await op1.post(`/operator/proxies/${here.id}`, {
      intent: "approve-many",
      sibling: `${other.id}:${other.version}`,
    });
    expect(unmarked.status).toBe(302);
    expect(textOf((await op1.get(`/operator/proxies/${here.id}`)).html)).toContain(
      `Утверждено заявок: 0. Не утверждены: 1 — № ${other.id}: Утвердить можно только после получения бумажной копии`,
    );
    await op1.post(`/operator/proxies/${here.id}`, {
      intent: "approve-many",
      sibling: `${other.id}:${other.version}`,
      siblingsPaperCopy: "on",
      siblingsPaperCopyDate: "2026-11-23",
    });
    const after = await liveProxy(app, rep.id, ids["7700800002"]);
    expect([after.status, after.paper_copy_received_at, after.decided_by]).toEqual([
      "approved",
      "2026-11-23",
      operatorIds.op1,
    ]);
    expect((await liveProxy(app, rep.id, ids["7700800001"])).status).toBe("in_review");
    // Another office's operator cannot approve them through this card (scoped: not found).
    opOther = await signedInClient(
      app.url,
      (
        await db()
          .selectFrom("users")
          .select("email")
          .where("territorial_body_code", "=", "2500")
          .executeTakeFirstOrThrow()
      ).email,
    );
    await opOther.get("/operator");
    expect(
      (
        await opOther.post(`/operator/proxies/${here.id}`, {
          intent: "approve-many",
          sibling: `${here.id}:${here.version}`,
          siblingsPaperCopy: "on",
          siblingsPaperCopyDate: "2026-11-23",
        })
      ).status,
    ).toBe(404);
    expect((await liveProxy(app, rep.id, ids["7700800001"])).status).toBe("in_review");
  });

  it("«Отклонить» needs «Причина отказа»; the reason reaches the representative", async () => {
    resetClock();
    op1 = await signedInClient(
      app.url,
      (await db().selectFrom("users").select("email").where("id", "=", operatorIds.op1).executeTakeFirstOrThrow())
        .email,
    );
    const rep = await representativeWithCertificate(app);
    const proxy = await submittedProxy(app, rep, ids["7700800002"]);
    const empty = await decide(op1, proxy.id, { intent: "reject", version: String(proxy.version), reason: "   " });
    expect(empty.status).toBe(422);
    expect(textOf(empty.html)).toContain("Укажите причину отказа");
    expect(
      (
        await decide(op1, proxy.id, {
          intent: "reject",
          version: String(proxy.version),
          reason: "Доверенность не подписана руководителем",
        })
      ).status,
    ).toBe(302);
    const table = textOf((await rep.client.get("/profile/representative")).html);
    expect(table).toContain("Отклонено");
    expect(table).toContain("Причина: Доверенность не подписана руководителем");
    await app.deliverMail();
    const letter = app.smtp.lastTo(rep.email);
    expect(letter.subject).toContain("Доверенность отклонена");
    expect(letter.text).toContain("Причина отказа: Доверенность не подписана руководителем");
  });

  it("two operators deciding at once: exactly one decision wins, the other is told", async () => {
    resetClock();
    op1 = await signedInClient(
      app.url,
      (await db().selectFrom("users").select("email").where("id", "=", operatorIds.op1).executeTakeFirstOrThrow())
        .email,
    );
    op1b = await signedInClient(
      app.url,
      (await db().selectFrom("users").select("email").where("id", "=", operatorIds.op1b).executeTakeFirstOrThrow())
        .email,
    );
    const rep = await representativeWithCertificate(app);
    const proxy = await submittedProxy(app, rep, ids["7700800001"]);
    await db()
      .updateTable("proxies")
      .set({ paper_copy_received_at: "2026-11-23" })
      .where("id", "=", proxy.id)
      .execute();
    await op1.get(`/operator/proxies/${proxy.id}`);
    await op1b.get(`/operator/proxies/${proxy.id}`);
    const [a, b] = await Promise.all([
      op1.post(`/operator/proxies/${proxy.id}`, { intent: "approve", version: String(proxy.version) }),
      op1b.post(`/operator/proxies/${proxy.id}`, {
        intent: "reject",
        version: String(proxy.version),
        reason: "Нет печати",
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([302, 409]);
    const loser = a.status === 409 ? a : b;
    expect(textOf(loser.html)).toContain("Заявка уже рассмотрена");
    const final = await db().selectFrom("proxies").selectAll().where("id", "=", proxy.id).executeTakeFirstOrThrow();
    expect(final.status).toBe(a.status === 302 ? "approved" : "rejected");
    const decisions = await db()
      .selectFrom("audit_events")
      .select("action")
      .where("subject_type", "=", "proxy")
      .where("subject_id", "=", String(proxy.id))
      .where("action", "in", ["proxy.approved", "proxy.rejected"])
      .execute();
    expect(decisions).toHaveLength(1);
  });

  it("a decision on a proxy the representative changed meanwhile is refused with a clear message", async () => {
    resetClock();
    op1 = await signedInClient(
      app.url,
      (await db().selectFrom("users").select("email").where("id", "=", operatorIds.op1).executeTakeFirstOrThrow())
        .email,
    );
    const rep = await representativeWithCertificate(app);
    const proxy = await submittedProxy(app, rep, ids["7700800002"]);
    await op1.get(`/operator/proxies/${proxy.id}`);
    await setTerm(rep.client, proxy.id, "2026-11-01", "2027-06-30");
    const stale = await op1.post(`/operator/proxies/${proxy.id}`, {
      intent: "reject",
      version: String(proxy.version),
      reason: "Срок",
    });
    expect(stale.status).toBe(409);
    expect(textOf(stale.html)).toContain("Заявка изменилась, пока вы её смотрели");
    expect((await liveProxy(app, rep.id, ids["7700800002"])).status).toBe("in_review");
  });

  it("approved proxies expire after their term (idempotent) and the representative is mailed 30 and 7 days before", async () => {
    resetClock();
    const rep = await representativeWithCertificate(app);
    const proxy = await submittedProxy(app, rep, ids["7700800001"], ["2026-11-01", "2026-12-31"]);
    await db()
      .updateTable("proxies")
      .set({ status: "approved", decided_at: app.clock.now().toISOString() })
      .where("id", "=", proxy.id)
      .execute();
    app.clock.set("2026-12-02T06:00:00Z"); // 29 days before the end
    expect(await sendPoaExpiryReminders(db(), app.clock, app.url)).toBeGreaterThanOrEqual(1);
    const after30 = await sendPoaExpiryReminders(db(), app.clock, app.url);
    app.clock.set("2026-12-25T06:00:00Z"); // 6 days before
    const at7 = await sendPoaExpiryReminders(db(), app.clock, app.url);
    expect(at7).toBeGreaterThanOrEqual(1);
    await app.deliverMail();
    const letters = app.smtp.to(rep.email).filter((m) => m.subject.includes("Доверенность истекает 31.12.2026"));
    expect(letters).toHaveLength(2);
    expect(after30).toBe(0);
    app.clock.set("2026-12-31T20:00:00Z"); // 23:00 in Moscow on the last day: still valid
    await expireEndedProxies(db(), app.clock);
    expect(
      (await db().selectFrom("proxies").select("status").where("id", "=", proxy.id).executeTakeFirstOrThrow()).status,
    ).toBe("approved");
    app.clock.set("2026-12-31T21:00:01Z"); // 1 January in Moscow
    expect(await expireEndedProxies(db(), app.clock)).toBeGreaterThanOrEqual(1);
    expect(await expireEndedProxies(db(), app.clock)).toBe(0);
    expect(
      (await db().selectFrom("proxies").select("status").where("id", "=", proxy.id).executeTakeFirstOrThrow()).status,
    ).toBe("expired");
    const reSigned = await signedInClient(app.url, rep.email);
    expect(textOf((await reSigned.get("/profile/representative?status=expired")).html)).toContain("Срок истёк");
    resetClock();
  });

  it("no digest on a weekend or before 09:00", async () => {
    app.clock.set("2026-11-28T08:00:00Z"); // Saturday
    expect(await sendSlaDigests(db(), app.clock, app.url)).toEqual([]);
    app.clock.set("2026-11-30T05:00:00Z"); // Monday 08:00 in Moscow, 15:00 in Vladivostok
    expect(await sendSlaDigests(db(), app.clock, app.url)).not.toContain("7700");
    resetClock();
  });

  it("an operator created by an administrator sets the password from the letter and lands on the queue", async () => {
    resetClock();
    const admin = await createActiveUser(db(), { surname: "Админова", givenName: "Анна", patronymic: "" }, "admin");
    const adminClient = await signedInClient(app.url, admin.email);
    expect((await adminClient.get("/operator")).status).toBe(403);
    await adminClient.get("/admin/operators");
    const bad = await adminClient.post("/admin/operators", {
      email: "new.op@sfr.example.ru",
      surname: "Новикова",
      givenName: "Нина",
      patronymic: "",
      office: "1234",
    });
    expect(bad.status).toBe(422);
    expect(textOf(bad.html)).toContain("Территориальный орган с кодом 1234 не найден");
    expect(
      (
        await adminClient.post("/admin/operators", {
          email: "new.op@sfr.example.ru",
          surname: "Новикова",
          givenName: "Нина",
          patronymic: "",
          office: "7700",
        })
      ).status,
    ).toBe(302);
    await app.deliverMail();
    const letter = app.smtp.lastTo("new.op@sfr.example.ru");
    expect(letter.subject).toContain("сотрудника территориального органа");
    const link = letter.text.match(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]+/)![0];
    const token = link.split("/reset-password/")[1];
    const stored = await db()
      .selectFrom("email_tokens")
      .select(["purpose", "token_hash"])
      .where("token_hash", "=", sha256Hex(token))
      .executeTakeFirstOrThrow();
    expect(stored.purpose).toBe("invite");
    const newcomer = new BrowserClient(app.url);
    const before = await newcomer.submit("/login", { email: "new.op@sfr.example.ru", password: "Operator-2026!" });
    expect(before.status).toBe(401);
    await newcomer.get(link);
    expect(
      (await newcomer.post(new URL(link).pathname, { password: "Operator-2026!", passwordConfirm: "Operator-2026!" }))
        .status,
    ).toBe(302);
    const signedIn = await newcomer.submit("/login", { email: "new.op@sfr.example.ru", password: "Operator-2026!" });
    expect(signedIn.location).toBe("/operator");
    expect((await newcomer.get("/operator")).status).toBe(200);
    expect((await newcomer.get("/profile/representative")).status).toBe(403);
  });
});
