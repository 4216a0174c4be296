export interface ConnectionCheckView {
  id: string;
  ok: boolean;
  label: string;
  detail: string;
  fix?: string | undefined;
}

/** One line per check: passed or failed, what was seen, and for a failure what to change in Zendesk. */
export function ConnectionTestReport({ checks, ok }: { checks: ConnectionCheckView[]; ok: boolean }) {
  return (
    <div className="zm-test-report">
      <p className={`zm-test-report__summary ${ok ? "zm-test-report__summary--ok" : "zm-test-report__summary--fail"}`}>
        {ok ? "All checks passed." : `${checks.filter((c) => !c.ok).length} of ${checks.length} checks failed.`}
      </p>
      <ul className="zm-test-report__checks" aria-label="Connection checks">
        {checks.map((check) => (
          <li key={check.id} className={`zm-check ${check.ok ? "zm-check--ok" : "zm-check--fail"}`}>
            <span className="zm-check__mark" aria-hidden="true">
              {check.ok ? "✓" : "✗"}
            </span>
            <div>
              <p className="zm-check__label">
                <span className="zm-visually-hidden">{check.ok ? "Passed: " : "Failed: "}</span>
                {check.label}
              </p>
              <p className="zm-check__detail">{check.detail}</p>
              {check.fix ? (
                <p className="zm-check__fix">
                  <strong>Fix:</strong> {check.fix}
                </p>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
