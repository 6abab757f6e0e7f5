namespace Helpdesk.Monitoring.Notifications;

/// <summary>A refused record: the reason class and a sentence naming the field and what is wrong with it.</summary>
public readonly record struct ParseFailure(RejectReason Reason, string Message)
{
    public static readonly ParseFailure None = new(RejectReason.None, "");

    public bool Failed => Reason != RejectReason.None;

    public override string ToString() => $"{RejectReasons.Label(Reason)}: {Message}";
}
