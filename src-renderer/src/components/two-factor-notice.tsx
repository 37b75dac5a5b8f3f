/**
 * Shown instead of administrative controls while the signed-in role needs two-factor
 * authentication and it is off: the server would refuse every call (`two_factor_required`),
 * so the screen says what to do rather than showing the refusals.
 */
export function TwoFactorNotice(props: { what: string }) {
  return (
    <p className="muted two-factor-notice">
      {props.what} needs two-factor authentication for your role.{' '}
      <a className="link" href="#/profile">
        Turn it on in Profile
      </a>
      .
    </p>
  );
}
