/**
 * The provider's own screens: the sign-in form and the sign-out step. Plain
 * HTML without scripts, readable on a phone and by a screen reader, in the
 * platform's colours.
 */
const escape = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const STYLE = `
  body { font-family: system-ui, sans-serif; margin: 0; background: #f1f3f5; color: #212529; }
  main { max-width: 24rem; margin: 3rem auto; padding: 1.5rem; background: #fff; border: 1px solid #ced4da; border-radius: 0.5rem; }
  h1 { font-size: 1.5rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin: 1rem 0 0.25rem; }
  input { box-sizing: border-box; width: 100%; padding: 0.5rem; font-size: 1rem; border: 1px solid #868e96; border-radius: 0.25rem; }
  button { margin-top: 1.5rem; width: 100%; padding: 0.6rem; font-size: 1rem; font-weight: 600; color: #fff; background: #1864ab; border: 0; border-radius: 0.25rem; cursor: pointer; }
  button:focus-visible, input:focus-visible { outline: 3px solid #fab005; outline-offset: 2px; }
  [role="alert"] { margin: 1rem 0 0; padding: 0.75rem; background: #fff5f5; border: 1px solid #c92a2a; color: #a61e1e; border-radius: 0.25rem; }
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} · Testmancer</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export function signInPage({
  action,
  clientName,
  username = '',
  error,
}: {
  action: string;
  clientName: string;
  username?: string;
  error?: string;
}): string {
  return layout(
    'Sign in',
    `<h1>Sign in to ${escape(clientName)}</h1>
${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="${escape(action)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" required value="${escape(username)}"${error ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${error ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>`,
  );
}

/** oidc-provider's sign-out confirmation: `form` is its hidden form (id "op.logoutForm") that the buttons submit. */
export function signOutPage(form: string): string {
  return layout(
    'Sign out',
    `<h1>Sign out of Testmancer?</h1>
<p>You will be signed out of every Testmancer interface in this browser.</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>`,
  );
}

export function signedOutPage(): string {
  return layout('Signed out', '<h1>You are signed out</h1><p>You can close this tab.</p>');
}

export function errorPage(message: string): string {
  return layout('Sign-in problem', `<h1>Sign-in problem</h1><p role="alert">${escape(message)}</p>`);
}
