export function loader() {
  return { greeting: "Вход" };
}

export default function Index() {
  return (
    <main>
      <h1>Вход</h1>
      <form method="post">
        <label>
          Электронная почта <input name="email" />
        </label>
        <button type="submit">Войти</button>
      </form>
    </main>
  );
}
