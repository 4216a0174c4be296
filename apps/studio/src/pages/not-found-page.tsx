import { Link } from "react-router";

export function NotFoundPage() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        This page does not exist, or you do not have access to it. <Link to="/">Go to your projects</Link>.
      </p>
    </section>
  );
}
