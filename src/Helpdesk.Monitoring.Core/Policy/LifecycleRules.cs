namespace Helpdesk.Monitoring.Policy;

/// <summary>The rules file's "dedup" section: when repeats reopen, how flapping settles, how long verification holds.</summary>
public sealed record LifecycleRules(TimeSpan? ReopenWindow, TimeSpan? FlapQuietPeriod, TimeSpan? VerificationHold);
