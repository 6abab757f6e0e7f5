namespace Helpdesk.Monitoring.Policy;

/// <summary>ITIL priority, P1 (critical) to P5 (planning).</summary>
public enum Priority : byte
{
    P1 = 1,
    P2,
    P3,
    P4,
    P5,
}
