// Work at scale in Chromium: the demo representative adds organisations by a list, ticks them all and sets one term,
// uploads their scans as one batch; the operator approves them in one step each («Бумажная копия получена» ticked,
// then «Утвердить и открыть следующую»). Every page is checked with axe-core at 1280 and 375 px (no serious or
// critical violation, no sideways scroll on a phone), hover and focus keep AA contrast, and the key pages are
// photographed at both widths (docs/screenshots).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { launchChromium, startPortal, type RunningPortal } from "./support";

const WIDTHS = [1280, 375] as const;
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? path.resolve(__dirname, "../../docs/screenshots")
  : (process.env.E2E_SCREENSHOTS ?? os.tmpdir());

async function signIn(browser: Browser, url: string, email: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url + "/login");
  await page.getByLabel("Электронная почта").fill(email);
  await page.getByLabel("Пароль").fill("Demo-2026!");
  await page.getByRole("button", { name: "Войти" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  return page;
}

/** WCAG contrast ratio of two CSS colours («rgb(r, g, b)»). */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? ["0", "0", "0"]).slice(0, 3).map((v) => Number(v) / 255);
    const lin = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(bl);
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** axe-core at both widths: no serious or critical violation; on a phone nothing pushes the page sideways. */
async function checkPage(page: Page, name: string, shoot = false): Promise<void> {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 });
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join("; ")}`);
    expect(serious, `${name} at ${width} px`).toEqual([]);
    if (width === 375) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
    }
    if (shoot)
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${width}.png`), fullPage: width === 1280 });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe("work at scale in Chromium", () => {
  let portal: RunningPortal;
  let browser: Browser;
  beforeAll(async () => {
    portal = await startPortal();
    browser = await launchChromium();
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it("bulk term and bulk scans for the ticked organisations, one-step approval, accessible at 1280 and 375 px", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sedo-e2e-scale-"));
    const anonymous = await (await browser.newContext()).newPage();
    for (const [route, name] of [
      ["/", "home"],
      ["/login", "login"],
      ["/register", "register"],
    ] as const) {
      await anonymous.goto(portal.url + route);
      await checkPage(anonymous, name, route === "/");
    }
    await anonymous.context().close();

    const page = await signIn(browser, portal.url, "demo@sedo-gateway.local");
    await page.goto(portal.url + "/profile/representative");
    await checkPage(page, "representative-empty");
    await page
      .getByLabel("Файл сертификата (.cer)")
      .setInputFiles(path.resolve(__dirname, "../fixtures/certs/ivanova-gost256.cer"));
    await page.getByRole("button", { name: "Загрузить сертификат" }).click();
    await page.getByRole("button", { name: "Добавить" }).waitFor();
    await page.goto(portal.url + "/profile/representative/bulk");
    await checkPage(page, "bulk-add");
    await page.getByLabel("Список ИНН или регистрационных номеров").fill("7700000003\n7700000004\n7700000005");
    await page.getByRole("button", { name: "Добавить списком" }).click();
    await page.getByText("Добавлено: 3.").waitFor();
    await page.goto(portal.url + "/profile/representative");
    await page.getByRole("table", { name: "Представляемые организации" }).waitFor();
    await checkPage(page, "representative-list", true);

    // Tick them all, one term for the three.
    await page.getByLabel("Выбрать все на странице").check();
    await page.getByText("Выбрано: 3").waitFor();
    await page.getByRole("button", { name: "Указать срок для выбранных" }).click();
    await page.getByText("Выбрано организаций: 3.").waitFor();
    await checkPage(page, "selected-term");
    await page.getByLabel("Действует с").fill("2026-11-01");
    await page.getByLabel("Действует по").fill("2027-10-31");
    await page.getByRole("button", { name: "Сохранить срок" }).click();
    await page.getByText("Срок сохранён для организаций: 3.").waitFor();

    // The scans as one batch, named by the registration number; one does not match.
    const pdf = fs.readFileSync(path.resolve(__dirname, "../fixtures/pdf/poa-valid-1page.pdf"));
    const files = ["7700000003.pdf", "Доверенность 7700000004.pdf", "7700000005.pdf", "скан.pdf"].map((n) => {
      fs.writeFileSync(path.join(dir, n), pdf);
      return path.join(dir, n);
    });
    await page.getByRole("link", { name: "Загрузить доверенности пакетом" }).click();
    await page.getByLabel("Файлы доверенностей (PDF или ZIP)").setInputFiles(files);
    await page.getByRole("button", { name: "Загрузить пакет" }).click();
    await page.getByText("Загружено: 3 из 4.").waitFor();
    const batch = page.getByRole("table", { name: "Результат загрузки пакета" });
    await batch.getByRole("row").filter({ hasText: "скан.pdf" }).getByText("Не сопоставлена").waitFor();
    await checkPage(page, "poa-batch", true);
    await page.goto(portal.url + "/profile/representative");
    for (const regnum of ["7700000003", "7700000004", "7700000005"])
      await page.getByRole("row").filter({ hasText: regnum }).getByText("На проверке").waitFor();

    // The operator: «Бумажная копия получена» ticked, «Утвердить и открыть следующую», three times.
    const op = await signIn(browser, portal.url, "operator@sedo-gateway.local");
    await op.getByRole("heading", { name: "Заявки на проверку" }).waitFor();
    await checkPage(op, "operator-queue", true);
    await op.getByRole("row").filter({ hasText: "7700000003" }).getByRole("link").click();
    await op.getByRole("link", { name: "Открыть доверенность" }).waitFor();
    await checkPage(op, "operator-card", true);
    const approved: string[] = [];
    for (let i = 0; i < 3; i++) {
      const card = new URL(op.url()).pathname;
      approved.push(card);
      await op.getByLabel("Бумажная копия получена").check();
      await op.getByRole("button", { name: "Утвердить и открыть следующую" }).click();
      await op.waitForURL((u) => u.pathname !== card);
      await op.getByText("Доверенность утверждена.").waitFor();
    }
    expect(new Set(approved).size).toBe(3);
    await op.getByText("Других заявок на проверке нет.").waitFor();

    // Readable hover and focus of the secondary and danger buttons (AA: 4.5:1).
    await page.goto(portal.url + "/profile/representative");
    const secondary = page.getByRole("button", { name: "Указать срок для выбранных" });
    await secondary.hover();
    const hovered = await secondary.evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]);
    expect(contrast(hovered[0], hovered[1])).toBeGreaterThanOrEqual(4.5);
    await page.keyboard.press("Shift");
    await secondary.focus();
    const focused = await secondary.evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]);
    expect(contrast(focused[0], focused[1])).toBeGreaterThanOrEqual(4.5);
    const row = page.getByRole("row").filter({ hasText: "7700000003" });
    await row.locator("summary").click();
    const danger = row.getByRole("button", { name: "Удалить" });
    await danger.hover();
    const dangerHover = await danger.evaluate((e) => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]);
    expect(contrast(dangerHover[0], dangerHover[1])).toBeGreaterThanOrEqual(4.5);

    for (const [route, name] of [
      ["/reports", "reports"],
      ["/profile", "profile"],
      ["/profile/representative/search", "search"],
    ] as const) {
      await page.goto(portal.url + route);
      await checkPage(page, name);
    }
    for (const [route, name] of [
      ["/operator/reports", "operator-reports"],
      ["/operator?overdue=1", "operator-overdue"],
    ] as const) {
      await op.goto(portal.url + route);
      await checkPage(op, name);
    }
    const admin = await signIn(browser, portal.url, "admin@sedo-gateway.local");
    for (const [route, name] of [
      ["/admin/operators", "admin-operators"],
      ["/admin/offices", "admin-offices"],
      ["/admin/certification-authorities", "admin-cas"],
    ] as const) {
      await admin.goto(portal.url + route);
      await checkPage(admin, name);
    }
    await admin.goto(portal.url + "/no-such-page");
    await checkPage(admin, "not-found");
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
