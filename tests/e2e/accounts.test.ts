// A person registers, receives the letter, confirms, signs in, sees the profile and signs out.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchChromium, rowAction, startPortal, waitForLetter, type RunningPortal } from "./support";
import { efs1Xml, fss4Xml } from "../support/fss4";
import { pdfText } from "../support/pdf-text";

describe("accounts in Chromium", () => {
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

  it("registration → letter → confirmation → sign-in → certificate → search → add → term → PDF → «На проверке» → operator approves → «Утверждено» → report accepted with a receipt → sign-out", async () => {
    const email = `e2e.${Date.now()}@example.ru`;
    const password = "Brauzer-2026!";
    const page = await browser.newPage();
    try {
      await page.goto(portal.url + "/");
      await page.getByRole("banner").getByRole("link", { name: "Регистрация" }).click();
      await page.getByLabel("Фамилия").fill("Иванова");
      await page.getByLabel("Имя", { exact: true }).fill("Мария");
      await page.getByLabel("Отчество").fill("Петровна");
      await page.getByLabel("Электронная почта").fill(email);
      await page.getByLabel("Пароль", { exact: true }).fill("short");
      await page.getByLabel("Повторите пароль").fill("short");
      await page.getByRole("button", { name: "Зарегистрироваться" }).click();
      await expect.poll(() => page.getByText("Пароль должен содержать").isVisible()).toBe(true);

      await page.getByLabel("Пароль", { exact: true }).fill(password);
      await page.getByLabel("Повторите пароль").fill(password);
      await page.getByRole("button", { name: "Зарегистрироваться" }).click();
      await page.getByRole("heading", { name: "Письмо отправлено" }).waitFor();
      await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", "sedo-registered.png") });

      const letter = await waitForLetter(portal.mailDir, email);
      expect(letter.subject).toContain("Подтверждение адреса");
      const link = letter.text.match(/https?:\/\/\S+\/confirm\/[A-Za-z0-9_-]+/)?.[0];
      expect(link).toBeTruthy();

      await page.goto(link!);
      await page.getByRole("heading", { name: "Адрес подтверждён" }).waitFor();
      await page.getByRole("main").getByRole("link", { name: "Войти" }).click();

      await page.getByLabel("Электронная почта").fill(email);
      await page.getByLabel("Пароль").fill(password);
      await page.getByRole("button", { name: "Войти" }).click();
      await page.waitForURL("**/profile");
      await page.getByText("Иванова Мария Петровна").waitFor();
      expect(await page.getByRole("banner").getByRole("link", { name: "Профиль" }).isVisible()).toBe(true);
      await page.screenshot({ path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", "sedo-profile.png") });

      // Профиль → Уполномоченный: upload the qualified certificate; «Добавить» appears only then.
      await page.getByRole("link", { name: "Уполномоченный" }).click();
      await page.getByLabel("Файл сертификата (.cer)").waitFor();
      expect(await page.getByRole("button", { name: "Добавить" }).count()).toBe(0);
      await page
        .getByLabel("Файл сертификата (.cer)")
        .setInputFiles(path.resolve(__dirname, "../fixtures/certs/smith-rsa.cer"));
      await page.getByRole("button", { name: "Загрузить сертификат" }).click();
      await page.getByText("не является квалифицированным").waitFor();
      // The test CA's own certificate is a CA's, not a person's.
      await page
        .getByLabel("Файл сертификата (.cer)")
        .setInputFiles(path.resolve(__dirname, "../fixtures/certs/ca.cer"));
      await page.getByRole("button", { name: "Загрузить сертификат" }).click();
      await page.getByText("Это сертификат удостоверяющего центра «Тестовый УЦ ГОСТ 2012»").waitFor();
      await page
        .getByLabel("Файл сертификата (.cer)")
        .setInputFiles(path.resolve(__dirname, "../fixtures/certs/ivanova-gost256.b64.cer"));
      await page.getByRole("button", { name: "Загрузить сертификат" }).click();
      await page.getByRole("button", { name: "Добавить" }).waitFor();
      // Once accepted, the certificate is one line; its details are a click away.
      await page.getByText("Иванова Мария Петровна — квалифицированный сертификат, действует по").waitFor();
      await page.getByText("Подробнее о сертификате").click();
      // The demo trusts the test CA of tests/fixtures, and says so wherever it appears.
      await page
        .getByText("Квалифицированный, выдан аккредитованным УЦ «Тестовый УЦ ГОСТ 2012 (тестовый УЦ)»")
        .waitFor();
      await page
        .getByRole("list", { name: "Цепочка сертификатов" })
        .getByText("Тестовый корневой УЦ ГОСТ 2012 (тестовый УЦ)")
        .waitFor();
      await page.getByText("112-233-445 95").waitFor();
      await page.screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", "sedo-certificate.png"),
        fullPage: true,
      });

      // «Добавить» → search the demo registry by part of the name → tick two → «Добавить выбранные».
      await page.getByRole("button", { name: "Добавить" }).click();
      await page.getByLabel("ИНН").fill("12345");
      await page.getByRole("button", { name: "Искать" }).click();
      await page.getByText("ИНН должен содержать 10 цифр").waitFor();
      await page.getByLabel("ИНН").fill("");
      await page.getByLabel("Наименование").fill("ромашк");
      await page.getByRole("button", { name: "Искать" }).click();
      const results = page.getByRole("table", { name: "Результаты поиска" });
      await results.waitFor();
      const boxes = results.getByRole("checkbox");
      const first = (await boxes.nth(0).getAttribute("aria-label"))!;
      expect(first).toMatch(/^\d{10}$/);
      await page.getByRole("checkbox", { name: first }).check();
      await boxes.nth(1).check();
      await page.getByRole("button", { name: "Добавить выбранные" }).click();
      await page.getByText("Добавлено организаций: 2").waitFor();
      const row = page.getByRole("row").filter({ hasText: first });
      await row.getByText("Не заполнено").waitFor();

      // An organisation of office 7700 (Moscow), found by its registration number, is the one submitted.
      await page.getByRole("button", { name: "Добавить" }).click();
      await page.getByLabel("Регистрационный номер").fill("7700000001");
      await page.getByRole("button", { name: "Искать" }).click();
      await page.getByRole("checkbox", { name: "7700000001" }).check();
      await page.getByRole("button", { name: "Добавить выбранные" }).click();
      await page.getByText("Добавлено организаций: 1").waitFor();
      const moscow = () => page.getByRole("row").filter({ hasText: "7700000001" });

      // Term, then the PDF: the proxy goes to «На проверке».
      await rowAction(moscow(), "Редактировать срок действия");
      await page.getByLabel("Действует с").fill("2026-11-01");
      await page.getByLabel("Действует по").fill("2026-11-10");
      await page.getByRole("button", { name: "Сохранить срок" }).click();
      await page.getByText("Дата окончания уже прошла").waitFor();
      await page.getByLabel("Действует по").fill("2027-10-31");
      await page.getByRole("button", { name: "Сохранить срок" }).click();
      await page.getByText("Срок действия сохранён").waitFor();
      await rowAction(moscow(), "Загрузить доверенность");
      await page
        .getByLabel("Файл доверенности (PDF, не более 2 МБ)")
        .setInputFiles(path.resolve(__dirname, "../fixtures/pdf/poa-with-javascript.pdf"));
      await page.getByRole("button", { name: "Загрузить", exact: true }).click();
      await page.getByText("содержит JavaScript").waitFor();
      await page
        .getByLabel("Файл доверенности (PDF, не более 2 МБ)")
        .setInputFiles(path.resolve(__dirname, "../fixtures/pdf/poa-valid-1page.pdf"));
      await page.getByRole("button", { name: "Загрузить", exact: true }).click();
      await page.getByText("направлена на проверку").waitFor();
      await moscow().getByText("На проверке").waitFor();
      void row;

      // The operator of office 7700, in a browser context of her own, approves it.
      const operatorContext = await browser.newContext();
      const op = await operatorContext.newPage();
      await op.goto(portal.url + "/login");
      await op.getByLabel("Электронная почта").fill("operator@sedo-gateway.local");
      await op.getByLabel("Пароль").fill("Demo-2026!");
      await op.getByRole("button", { name: "Войти" }).click();
      await op.getByRole("heading", { name: "Заявки на проверку" }).waitFor();
      const queued = op.getByRole("row").filter({ hasText: "7700000001" });
      await queued.getByText("Иванова Мария Петровна").waitFor();
      await op.screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", "sedo-operator-queue.png"),
        fullPage: true,
      });
      await queued.getByRole("link").click();
      await op.getByRole("link", { name: "Открыть доверенность" }).waitFor();
      await op.getByRole("button", { name: "Утвердить", exact: true }).click();
      await op.getByText("только после получения бумажной копии").waitFor();
      await op.screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", "sedo-operator-card.png"),
        fullPage: true,
      });
      // One step: the paper copy ticked on the decision form is recorded with the approval.
      await op.getByLabel("Бумажная копия получена").check();
      await op.getByRole("button", { name: "Утвердить", exact: true }).click();
      await op.getByText("Доверенность утверждена").waitFor();
      await operatorContext.close();

      // The representative sees «Утверждено» with the full name, and has the letter.
      await page.reload();
      await moscow().getByText("Утверждено").waitFor();
      expect(await moscow().locator(".status--approved").count()).toBe(1);
      const decision = await waitForLetter(portal.mailDir, email, 15_000, "Доверенность утверждена");
      expect(decision.text).toContain("7700000001");

      // «Отчёты»: three files at once, each finding its organisation by its own number (no organisation chosen):
      // ЕФС-1 by the СФР number, a 4-ФСС for 2022 (a past period) by the ФСС number, and one with another ИНН.
      const inn = (await moscow().textContent())!.replace("7700000001", "").match(/\d{10}/)![0];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sedo-e2e-reports-"));
      const files = {
        "efs1-7700000001-2026-09.xml": efs1Xml({ number: "087-000-000001", inn, kpp: null, period: "09", year: 2026 }),
        "4fss-7700000001-2022-09.xml": fss4Xml({ regnum: "7700000001", inn, kpp: null, period: "09", year: 2022 }),
        "wrong-inn.xml": efs1Xml({ number: "7700000001", inn: "7707083893", kpp: null, period: "06", year: 2026 }),
      };
      for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
      await page.getByRole("banner").getByRole("link", { name: "Отчёты" }).click();
      await page.getByLabel("Файлы отчётов").setInputFiles(Object.keys(files).map((name) => path.join(dir, name)));
      await page.getByRole("button", { name: "Отправить отчёты" }).click();
      await page.getByText("Отправлено файлов: 3 из 3").waitFor();
      expect(await page.getByRole("progressbar").getAttribute("value")).toBe("3");
      const sent = page.getByRole("table", { name: "Результаты отправки" });
      await sent.getByRole("row").filter({ hasText: "wrong-inn.xml" }).getByText("Не принят").waitFor();
      await page.getByText("Файлов: 3. Принято: 2. Не принято: 1.").waitFor();
      const efsRow = sent.getByRole("row").filter({ hasText: "efs1-7700000001-2026-09.xml" });
      expect(await efsRow.textContent()).toContain("ЕФС-1, раздел 2, первичный");
      const receiptLink = efsRow.getByRole("link", { name: /квитанция № 2026-7700000001-\d{7}/ });
      const receiptNumber = (await receiptLink.textContent())!.match(/2026-7700000001-\d{7}/)![0];
      expect(await sent.getByRole("row").filter({ hasText: "4fss-7700000001-2022-09.xml" }).textContent()).toMatch(
        /4-ФСС, первичный.*9 месяцев 2022 г\..*Принят/,
      );
      expect(await sent.getByRole("row").filter({ hasText: "wrong-inn.xml" }).textContent()).toContain(
        "ИНН в отчёте (7707083893) не совпадает",
      );
      const journal = page.getByRole("table", { name: "Журнал отправок" });
      await journal.getByText(`квитанция № ${receiptNumber}`).waitFor();
      const receipt = await page.request.get(portal.url + (await receiptLink.getAttribute("href")));
      expect(receipt.headers()["content-type"]).toBe("application/pdf");
      const printed = await pdfText(new Uint8Array(await receipt.body()));
      for (const s of [
        "КВИТАНЦИЯ О ПРИЁМЕ",
        receiptNumber,
        "ЕФС-1, раздел 2",
        "9 месяцев 2026 г.",
        "Иванова Мария Петровна",
      ])
        expect(printed).toContain(s);
      await page.screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", "sedo-reports.png"),
        fullPage: true,
      });

      // «Сводка»: 7700000001 has reported for 9 months 2026; the two organisations added beside it have not.
      await page.getByRole("link", { name: "Сводка" }).click();
      const summary = page.getByRole("table", { name: "Сводка" });
      await summary.waitFor();
      const reported = summary.getByRole("row").filter({ hasText: "7700000001" });
      expect(await reported.textContent()).toMatch(/Утверждено.*Не отправлен.*Не принят.*Принят.*Не отправлен/);
      await page.getByLabel("Только не отправленные за 9 месяцев 2026 г.").check();
      await page.getByRole("button", { name: "Показать" }).click();
      await page.getByText("Не отправлено за 9 месяцев 2026 г.: 2 из 3 организаций.").waitFor();
      expect(await summary.getByRole("row").filter({ hasText: "7700000001" }).count()).toBe(0);
      await summary.getByRole("row").filter({ hasText: first }).getByText("Не отправлен").first().waitFor();
      const csv = await page.request.get(
        portal.url + (await page.getByRole("link", { name: "Скачать CSV" }).getAttribute("href")),
      );
      const csvText = (await csv.body()).toString("utf8");
      expect(csvText.charCodeAt(0)).toBe(0xfeff);
      expect(csvText).toContain(first);
      expect(csvText).not.toContain("7700000001;");
      await page.screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", "sedo-summary.png"),
        fullPage: true,
      });
      fs.rmSync(dir, { recursive: true, force: true });
      await page.screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", "sedo-proxies.png"),
        fullPage: true,
      });

      // The administrator sees the trust list and loads a real accredited root into it.
      const adminContext = await browser.newContext();
      const adm = await adminContext.newPage();
      await adm.goto(portal.url + "/login");
      await adm.getByLabel("Электронная почта").fill("admin@sedo-gateway.local");
      await adm.getByLabel("Пароль").fill("Demo-2026!");
      await adm.getByRole("button", { name: "Войти" }).click();
      await adm.getByRole("link", { name: "Удостоверяющие центры" }).click();
      const cas = adm.getByRole("table", { name: "Доверенные удостоверяющие центры" });
      await cas.getByRole("row").filter({ hasText: "Тестовый УЦ ГОСТ 2012" }).getByText("(тестовый УЦ)").waitFor();
      await adm
        .getByLabel("Файлы списка УЦ (XML, .cer, .pem, .crl)")
        .setInputFiles(path.resolve(__dirname, "../fixtures/real/certs/ca-mincifry-2022.pem"));
      await adm.getByRole("button", { name: "Загрузить" }).click();
      await adm.getByRole("table", { name: "Результат загрузки" }).getByText("Минцифры России").waitFor();
      await cas.getByRole("row").filter({ hasText: "Минцифры России" }).waitFor();
      await adm.screenshot({
        path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", "sedo-trust-list.png"),
        fullPage: true,
      });
      await adminContext.close();

      await page.getByRole("button", { name: "Выйти" }).click();
      await page.getByText("Вы вышли из портала").waitFor();
      expect(await page.getByRole("banner").getByRole("link", { name: "Вход" }).isVisible()).toBe(true);
      await page.goto(portal.url + "/profile");
      await page.waitForURL(/\/login/);
    } catch (error) {
      await page
        .screenshot({ path: path.join(process.env.E2E_SCREENSHOTS ?? "/tmp", "sedo-failure.png") })
        .catch(() => {});
      throw new Error(`${String(error)}\n--- portal output ---\n${portal.output().slice(-3000)}`);
    } finally {
      await page.close();
    }
  });
});
