/**
 * Keeps one crashing window from taking down the studio: the window shows what went wrong and
 * a button to remount its content; every other window, the dock and the queue keep working.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props { title: string; children: ReactNode }
interface State { error?: Error }

export class WindowErrorBoundary extends Component<Props, State> {
  override state: State = {};

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`[${this.props.title}] window crashed`, error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="window-crash" role="alert" data-testid="window-crash">
        <h3>{this.props.title} stopped working</h3>
        <pre>{error.message}</pre>
        <button className="btn" onClick={() => this.setState({ error: undefined })}>Reload window</button>
      </div>
    );
  }
}
