// An accountant with many clients, on each database: one term for the ticked organisations (or all the list's filter
// selects) in one transaction, and a batch of PDF scans matched to organisations by the number in each file name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../support/app";
import { databaseKinds } from "../support/databases";
import { textOf, uploadForm } from "../support/client";
import {
  addOrganizations,
  fixture,
  liveProxy,
  registryWith,
  representativeWithCertificate,
  setTerm,
  uploadPoa,
} from "../support/flow";
import { zipOf } from "../support/zip";
import { withInnCheckDigit, withOgrnCheckDigit } from "../../app/organizations/identifiers";

const orgs = [1, 2, 3, 4, 5].map((n) => ({
  regnum: `77019000${String(n).padStart(2, "0")}`,
  sfrRegnum: `08700190000${n}`,
  inn: withInnCheckDigit(`77019000${n}`),
  kpp: "770101001",
  ogrn: withOgrnCheckDigit(`10277019000${n}`),
  fullName: `Общество с ограниченной ответственностью «Ромашка-${n}»`,
  shortName: `ООО «Ромашка-${n}»`,
  address: "г. Москва",
}));

describe.each(databaseKinds)("bulk work on the representative's list on %s", (kind) => {
  let app: TestApp;
  let rep: Awaited<ReturnType<typeof representativeWithCertificate>>;
  let ids: Record<string, number>;
  const proxyOf = async (regnum: string) => liveProxy(app, rep.id, ids[regnum]);

  beforeAll(async () => {
    app = await startTestApp(kind, { registrySize: 0, start: "2026-11-23T09:00:00.000Z" });
    ids = await registryWith(app, orgs);
    rep = await representativeWithCertificate(app);
    expect((await addOrganizations(app, rep.client, Object.values(ids))).status).toBe(302);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("«Указать срок для выбранных»: every ticked proxy gets the term, those with a PDF go to review; a bad term or a foreign id writes nothing", async () => {
    const [a, b, c] = await Promise.all(orgs.slice(0, 3).map((o) => proxyOf(o.regnum)));
    expect((await uploadPoa(rep.client, c.id, fixture("pdf", "poa-valid-1page.pdf"))).status).toBe(302);
    const page = await rep.client.get(`/profile/representative/term?id=${a.id}&id=${b.id}&id=${c.id}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain("Выбрано организаций: 3.");
    expect(text).toContain("ООО «Ромашка-1», рег. номер 7701900001 — Не заполнено");
    const body = (extra: Record<string, string>) => {
      const form = new URLSearchParams({ csrf: rep.client.csrf, ...extra });
      for (const p of [a, b, c]) form.append("id", String(p.id));
      return form;
    };
    // The page's form posts to its own address, the selection included.
    const post = (form: URLSearchParams) =>
      rep.client.request(`/profile/representative/term?id=${a.id}&id=${b.id}&id=${c.id}`, {
        method: "POST",
        body: form,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
      });
    const backwards = await post(body({ validFrom: "2026-12-01", validTo: "2026-11-30" }));
    expect(backwards.status).toBe(422);
    expect(textOf(backwards.html)).toContain("Дата окончания не может быть раньше даты начала.");
    expect((await proxyOf(orgs[0].regnum)).valid_to).toBeNull();
    // Someone else's proxy among the ticked: 404, and none of the three is changed.
    const other = await representativeWithCertificate(app);
    await addOrganizations(app, other.client, [ids[orgs[4].regnum]]);
    const foreign = await liveProxy(app, other.id, ids[orgs[4].regnum]);
    const withForeign = body({ validFrom: "2026-11-01", validTo: "2027-10-31" });
    withForeign.append("id", String(foreign.id));
    expect((await post(withForeign)).status).toBe(404);
    expect((await proxyOf(orgs[1].regnum)).valid_to).toBeNull();
    const saved = await post(body({ validFrom: "2026-11-01", validTo: "2027-10-31" }));
    expect(saved.status).toBe(302);
    const after = await Promise.all(orgs.slice(0, 3).map((o) => proxyOf(o.regnum)));
    expect(after.map((p) => [p.valid_from, p.valid_to, p.status])).toEqual([
      ["2026-11-01", "2027-10-31", "not_filled"],
      ["2026-11-01", "2027-10-31", "not_filled"],
      ["2026-11-01", "2027-10-31", "in_review"],
    ]);
    const list = textOf((await rep.client.get("/profile/representative")).html);
    expect(list).toContain("Срок сохранён для организаций: 3. Направлены на проверку (PDF уже загружен): 1.");
  });

  it("«Выбрать все N по отбору»: the term goes to every organisation the filter selects, and only to them", async () => {
    const form = new URLSearchParams({
      csrf: rep.client.csrf,
      all: "1",
      q: "ромашка-4",
      validFrom: "2026-11-01",
      validTo: "2027-06-30",
    });
    await rep.client.get("/profile/representative/term?all=1&q=ромашка-4");
    const res = await rep.client.request("/profile/representative/term", {
      method: "POST",
      body: new URLSearchParams({ ...Object.fromEntries(form), csrf: rep.client.csrf }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
    });
    expect(res.status).toBe(302);
    expect((await proxyOf(orgs[3].regnum)).valid_to).toBe("2027-06-30");
    expect((await proxyOf(orgs[0].regnum)).valid_to).toBe("2027-10-31");
    // Without a CSRF token nothing is written.
    const forged = await rep.client.request("/profile/representative/term", {
      method: "POST",
      body: new URLSearchParams({ all: "1", validFrom: "2026-11-01", validTo: "2027-01-31" }),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
    });
    expect(forged.status).toBe(403);
    expect((await proxyOf(orgs[3].regnum)).valid_to).toBe("2027-06-30");
  });

  it("«Загрузить доверенности пакетом»: each PDF finds its organisation by рег. номер, СФР number or ИНН; the rest are listed with the reason", async () => {
    const pdf = fixture("pdf", "poa-valid-1page.pdf");
    await rep.client.get("/profile/representative/poa-batch");
    const res = await uploadForm(rep.client, "/profile/representative/poa-batch", {}, [
      { field: "files", name: "7701900001.pdf", bytes: pdf, type: "application/pdf" },
      { field: "files", name: `Доверенность ИНН ${orgs[1].inn}.pdf`, bytes: pdf, type: "application/pdf" },
      { field: "files", name: "9999999999.pdf", bytes: pdf, type: "application/pdf" },
      { field: "files", name: "скан.pdf", bytes: pdf, type: "application/pdf" },
      { field: "files", name: "7701900004.pdf", bytes: Buffer.from("not a pdf at all"), type: "application/pdf" },
      {
        field: "files",
        name: "пакет.zip",
        bytes: zipOf([
          { name: "папка/087-001-900005.pdf", bytes: pdf },
          { name: "readme.txt", bytes: Buffer.from("x") },
        ]),
        type: "application/zip",
      },
    ]);
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain("Загружено: 3 из 7.");
    expect(text).toContain(
      "7701900001.pdf ООО «Ромашка-1», рег. номер 7701900001 Загружена, на проверке загружена по рег. номеру 7701900001 и направлена на проверку",
    );
    expect(text).toContain(`загружена по ИНН ${orgs[1].inn} и направлена на проверку`);
    expect(text).toContain("087-001-900005.pdf");
    expect(text).toContain("загружена по рег. номеру СФР 087-001-900005; укажите срок действия");
    expect(text).toContain("номер 9999999999 в имени файла не принадлежит ни одной из ваших организаций");
    expect(text).toContain("в имени файла нет рег. номера или ИНН");
    expect(text).toMatch(/7701900004\.pdf ООО «Ромашка-4», рег\. номер 7701900004 Не принята/);
    expect(text).toContain("пакет.zip → readme.txt");
    const [one, two, four, five] = await Promise.all([0, 1, 3, 4].map((i) => proxyOf(orgs[i].regnum)));
    expect([one.status, two.status, four.poa_file_id, five.poa_file_id !== null]).toEqual([
      "in_review",
      "in_review",
      null,
      true,
    ]);
  });

  it("after the batch, the term of a proxy with its PDF set on its own page sends it to review", async () => {
    const p = await proxyOf(orgs[4].regnum);
    expect((await setTerm(rep.client, p.id, "2026-11-01", "2027-10-31")).status).toBe(302);
    expect((await proxyOf(orgs[4].regnum)).status).toBe("in_review");
  });

  it("search results keep the ticks made on other pages: the pager carries them and the form sends them", async () => {
    const other = await representativeWithCertificate(app);
    const page = await other.client.get(
      `/profile/representative/search?name=${encodeURIComponent("ромашка-1")}&sel=${ids[orgs[4].regnum]}`,
    );
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<input type="hidden" name="organizationId" value="${ids[orgs[4].regnum]}"/>`);
    expect(textOf(page.html)).toContain("Выбрано: 1");
    expect(page.html).toContain("Выбрать все на странице");
  });
});
