// The title bar every extension page starts with.
export function Header({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <header className="header">
      <img src="/icon/48.png" alt="" />
      <h1>{title}</h1>
      <div style={{ marginLeft: 'auto' }}>{children}</div>
    </header>
  );
}
