namespace Helpdesk.Monitoring.Telemetry;

/// <summary>One label of an instrument and the bounded set of values it takes.</summary>
public sealed record MetricLabel(string Name, IReadOnlyList<string> Values);
