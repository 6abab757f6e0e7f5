using System.Text;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Incidents;

/// <summary>The live, mutable form of an incident inside <see cref="IncidentBook"/>; snapshotted into records.</summary>
internal sealed class IncidentState
{
    public IncidentState(IncidentRecord r, byte[] fingerprint)
    {
        Id = r.Id;
        Fingerprint = fingerprint;
        Instance = r.Instance;
        Host = r.Host;
        Service = r.Service;
        Customer = r.Customer;
        Title = r.Title;
        Description = r.Description;
        Status = r.Status;
        Priority = r.Priority;
        State = r.State;
        WorstState = r.WorstState;
        SetOutput(r.LastOutput);
        ProblemId = r.ProblemId;
        AlertCount = r.AlertCount;
        OpenedAt = r.OpenedAt;
        LastSeenAt = r.LastSeenAt;
        AcknowledgedAt = r.AcknowledgedAt;
        AcknowledgedBy = r.AcknowledgedBy;
        AcknowledgementComment = r.AcknowledgementComment;
        ResolvedAt = r.ResolvedAt;
        ClosedAt = r.ClosedAt;
        ReopenCount = r.ReopenCount;
        UpdatedAt = r.UpdatedAt;
        TimelineCount = r.TimelineCount;
    }

    public long Id { get; }
    public byte[] Fingerprint { get; }
    public string Instance { get; }
    public string Host { get; }
    public string Service { get; }
    public string Customer { get; }
    public string Title { get; set; }
    public string Description { get; set; }
    public IncidentStatus Status { get; set; }
    public Priority Priority { get; set; }
    public AlertState State { get; set; }
    public AlertState WorstState { get; set; }
    public string LastOutput { get; private set; } = "";

    /// <summary>The output's UTF-8 bytes, so a repeat is recognised from the wire bytes without making a string.</summary>
    public byte[] LastOutputUtf8 { get; private set; } = [];
    public string ProblemId { get; set; }
    public long AlertCount { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public DateTimeOffset LastSeenAt { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public string AcknowledgedBy { get; set; }
    public string AcknowledgementComment { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public int ReopenCount { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int TimelineCount { get; set; }
    public string LastNote { get; set; } = "";

    public bool IsActive => Status is IncidentStatus.Open or IncidentStatus.Acknowledged;

    public void SetOutput(string output)
    {
        LastOutput = output;
        LastOutputUtf8 = Encoding.UTF8.GetBytes(output);
    }

    public IncidentRecord Snapshot() => new()
    {
        Id = Id,
        Instance = Instance,
        Host = Host,
        Service = Service,
        Customer = Customer,
        Title = Title,
        Description = Description,
        Status = Status,
        Priority = Priority,
        State = State,
        WorstState = WorstState,
        LastOutput = LastOutput,
        ProblemId = ProblemId,
        AlertCount = AlertCount,
        OpenedAt = OpenedAt,
        LastSeenAt = LastSeenAt,
        AcknowledgedAt = AcknowledgedAt,
        AcknowledgedBy = AcknowledgedBy,
        AcknowledgementComment = AcknowledgementComment,
        ResolvedAt = ResolvedAt,
        ClosedAt = ClosedAt,
        ReopenCount = ReopenCount,
        UpdatedAt = UpdatedAt,
        TimelineCount = TimelineCount,
    };
}
