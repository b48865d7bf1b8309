// An МЧД instead of a PDF, end to end in Chromium: the administrator trusts a CA, the demo representative uploads
// the certificate, adds an organisation, uploads the МЧД signed by its head → «На проверке» with the term from the
// МЧД; the operator sees the МЧД's data, ticks «Проверена в реестре ФНС», approves → «Утверждено»; a report for the
// organisation is accepted.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchChromium, rowAction, startPortal, type RunningPortal } from "./support";
import { efs1Xml } from "../support/fss4";
import { makeScenario } from "../support/pki-scenario";
import { mchdXml } from "../support/mchd";

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", name), fullPage: true });

async function signIn(browser: Browser, url: string, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url + "/login");
  await page.getByLabel("Электронная почта").fill(email);
  await page.getByLabel("Пароль").fill("Demo-2026!");
  await page.getByRole("button", { name: "Войти" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}

describe("МЧД in Chromium", () => {
  let portal: RunningPortal;
  let browser: Browser;
  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it("admin trusts a CA → certificate → organisation → «Загрузить МЧД» → «На проверке» → «Проверена в реестре ФНС» → «Утверждено» → report accepted", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sedo-e2e-mchd-"));
    const s = makeScenario();
    const head = s.pki.issue(s.ca, {
      id: "head",
      subject: "/C=RU/SN=Галиев/GN=Рустам Ильдарович/CN=Галиев Рустам Ильдарович/SNILS=11223344595/INN=165001234562",
      notBefore: "20261001000000Z",
      notAfter: "20271001000000Z",
    });
    const file = (name: string, bytes: Buffer) => {
      fs.writeFileSync(path.join(dir, name), bytes);
      return path.join(dir, name);
    };

    // The administrator loads the head's CA into the trust list.
    const admin = await signIn(browser, portal.url, "admin@sedo-gateway.local");
    await admin.getByRole("link", { name: "Удостоверяющие центры" }).click();
    await admin
      .getByLabel("Файлы списка УЦ (XML, .cer, .pem, .crl)")
      .setInputFiles([file("root.cer", s.root.der), file("ca.cer", s.ca.der)]);
    await admin.getByRole("button", { name: "Загрузить" }).click();
    await admin.getByRole("table", { name: "Результат загрузки" }).getByText("Корневой УЦ сценария").waitFor();
    await admin.context().close();

    const page = await signIn(browser, portal.url, "demo@sedo-gateway.local");
    try {
      await page.goto(portal.url + "/profile/representative");
      await page
        .getByLabel("Файл сертификата (.cer)")
        .setInputFiles(path.resolve(__dirname, "../fixtures/certs/ivanova-gost256.cer"));
      await page.getByRole("button", { name: "Загрузить сертификат" }).click();
      await page.getByRole("button", { name: "Добавить" }).click();
      await page.getByLabel("Регистрационный номер").fill("7700000002");
      await page.getByRole("button", { name: "Искать" }).click();
      await page.getByRole("checkbox", { name: "7700000002" }).check();
      await page.getByRole("button", { name: "Добавить выбранные" }).click();
      await page.getByText("Добавлено организаций: 1").waitFor();
      const row = () => page.getByRole("row").filter({ hasText: "7700000002" });
      const inn = (await row().textContent())!.replace("7700000002", "").match(/\d{10}/)![0];

      // «Загрузить МЧД»: first a signature by someone who is not the head, then the head's.
      await rowAction(row(), "Загрузить МЧД");
      const xml = mchdXml({ principal: { name: "Организация из реестра", inn, kpp: null, ogrn: null } });
      const xmlPath = file("ON_EMCHD.xml", xml);
      await page.getByLabel("Файл МЧД (XML)").setInputFiles(xmlPath);
      await page.getByLabel("Файл подписи (.sig)").setInputFiles(file("wrong.sig", s.pki.signCms(s.people.good, xml)));
      await page.getByRole("button", { name: "Загрузить" }).click();
      await page.getByText("МЧД подписана сертификатом Кузнецова Анна Сергеевна").waitFor();
      await page.getByLabel("Файл МЧД (XML)").setInputFiles(xmlPath);
      await page.getByLabel("Файл подписи (.sig)").setInputFiles(file("ON_EMCHD.xml.sig", s.pki.signCms(head, xml)));
      await page.getByRole("button", { name: "Загрузить" }).click();
      await page.getByText("МЧД загружена, проверена и направлена на проверку").waitFor();
      await row().getByText("На проверке").waitFor();
      expect(await row().textContent()).toContain("31.10.2027");
      await shot(page, "sedo-mchd-submitted.png");

      // The operator of office 7700 reads the МЧД, checks it in the register, approves.
      const op = await signIn(browser, portal.url, "operator@sedo-gateway.local");
      await op.getByRole("row").filter({ hasText: "7700000002" }).getByRole("link").click();
      const data = op.getByRole("table", { name: "Сведения МЧД" });
      await data.getByText("4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f").waitFor();
      await data.getByText("Галиев Рустам Ильдарович, Директор").waitFor();
      await op.getByRole("link", { name: "Проверить в реестре ФНС" }).waitFor();
      await op.getByRole("button", { name: "Утвердить", exact: true }).click();
      await op.getByText("Утвердить МЧД можно после проверки в реестре ФНС").waitFor();
      await op.getByLabel("Проверена в реестре ФНС").check();
      await op.getByRole("button", { name: "Сохранить отметку" }).click();
      await op.getByText("Отмечено: МЧД проверена в реестре ФНС").waitFor();
      await shot(op, "sedo-mchd-operator.png");
      await op.getByRole("button", { name: "Утвердить", exact: true }).click();
      await op.getByText("Доверенность утверждена").waitFor();
      await op.context().close();

      await page.reload();
      await row().getByText("Утверждено").waitFor();

      // A report for the organisation is accepted on the МЧД.
      const report = file(
        "efs1-7700000002.xml",
        efs1Xml({ number: "087-000-000002", inn, kpp: null, period: "09", year: 2026 }),
      );
      await page.getByRole("banner").getByRole("link", { name: "Отчёты" }).click();
      await page.getByLabel("Файлы отчётов").setInputFiles(report);
      await page.getByRole("button", { name: "Отправить отчёты" }).click();
      await page.getByText("Файлов: 1. Принято: 1. Не принято: 0.").waitFor();
    } catch (error) {
      await shot(page, "sedo-mchd-failure.png").catch(() => {});
      throw new Error(`${String(error)}\n--- portal output ---\n${portal.output().slice(-3000)}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
