namespace Helpdesk.Monitoring.Incidents;

/// <summary>The outcome of one notification and the incident it touched (0 when none).</summary>
internal readonly record struct Decision(ApplyOutcome Outcome, long IncidentId)
{
    public static readonly Decision Ignored = new(ApplyOutcome.Ignored, 0);
}
