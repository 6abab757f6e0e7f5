using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.People;

namespace Helpdesk.Monitoring.Hosting.Identity;

/// <summary>
/// Who is calling: a user (by token or board session), or a tool holding the shared agent key, which cannot say who
/// acts except through the request's "by" (kept for the tools written before users existed).
/// </summary>
public sealed record Caller(User? User, CallerKind Kind)
{
    public UserRole Role => User?.Role ?? UserRole.Lead;

    /// <summary>Whether the caller may take this action; <paramref name="forSomeoneElse"/>: assigning to another person.</summary>
    public bool May(AgentActionKind kind, bool forSomeoneElse) => kind switch
    {
        AgentActionKind.Prioritize => Role >= UserRole.Lead,
        AgentActionKind.Assign => !forSomeoneElse || Role >= UserRole.Lead,
        AgentActionKind.Note or AgentActionKind.Confirm => false,
        _ => true,
    };
}

public enum CallerKind : byte
{
    Token = 1,
    Session,
    SharedAgentKey,
}
