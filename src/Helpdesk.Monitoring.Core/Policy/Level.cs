namespace Helpdesk.Monitoring.Policy;

/// <summary>ITIL impact or urgency.</summary>
public enum Level : byte
{
    Low = 1,
    Medium,
    High,
}
