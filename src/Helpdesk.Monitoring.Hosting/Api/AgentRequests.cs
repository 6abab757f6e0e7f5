using Helpdesk.Monitoring.Hosting.Identity;
using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.People;
using Helpdesk.Monitoring.Policy;
using Microsoft.AspNetCore.Http;

namespace Helpdesk.Monitoring.Hosting.Api;

/// <summary>Turns an action's request body and its caller into the action, or the 400/403 that says what is missing.</summary>
internal static class AgentRequests
{
    public static (AgentAction? Action, IResult? Problem) Make(AgentRequestJson r, AgentActionKind kind, Guid id, long incident, Caller caller, UserDirectory users)
    {
        string by;
        if (caller.User is { } user)
        {
            if (!string.IsNullOrEmpty(r.By) && r.By != user.Name)
            {
                return Bad($"you are signed in as {user.Name}: leave \"by\" out, the sign-in says who acts");
            }

            by = user.Name;
        }
        else if (string.IsNullOrWhiteSpace(r.By))
        {
            return Bad("\"by\" (who acts) is required with the shared agent key; better, give each person a token (helpdesk users token NAME)");
        }
        else
        {
            by = r.By.Trim();
        }

        var assignee = kind == AgentActionKind.Assign ? (r.To ?? "").Trim() : "";
        if (!caller.May(kind, forSomeoneElse: assignee != by))
        {
            return (null, Results.Problem(statusCode: 403, title: "Not allowed",
                detail: kind == AgentActionKind.Prioritize
                    ? "changing an incident's priority needs the lead or admin role"
                    : "giving an incident to someone else needs the lead or admin role; you may take it yourself"));
        }

        var action = new AgentAction(id, incident, kind, by, (r.Comment ?? "").Trim());
        switch (kind)
        {
            case AgentActionKind.Resolve:
                if (string.IsNullOrWhiteSpace(r.Cause) || string.IsNullOrWhiteSpace(r.Fix))
                {
                    return Bad("resolving needs \"cause\" (what went wrong) and \"fix\" (what put it right): the customer and the next agent read them");
                }

                return (action with { Cause = r.Cause.Trim(), Fix = r.Fix.Trim() }, null);
            case AgentActionKind.Assign:
                if (assignee.Length == 0 || users.Find(assignee) is null)
                {
                    return Bad(assignee.Length == 0
                        ? "\"to\" (the user name the incident goes to) is required"
                        : $"there is no user '{assignee}' in the users file");
                }

                return (action with { Assignee = assignee }, null);
            case AgentActionKind.Comment:
                return string.IsNullOrWhiteSpace(r.Text)
                    ? Bad("\"text\" (the note) is required")
                    : (action with { Comment = r.Text.Trim(), ForCustomer = r.ForCustomer == true }, null);
            case AgentActionKind.Prioritize:
                if (r.Priority is not { Length: 2 } p || !IncidentNames.TryParsePriority(p, out var priority))
                {
                    return Bad("\"priority\" must be P1, P2, P3, P4 or P5");
                }

                return string.IsNullOrWhiteSpace(r.Reason)
                    ? Bad("\"reason\" is required: the timeline says why the priority changed")
                    : (action with { Priority = priority, Comment = r.Reason.Trim() }, null);
            case AgentActionKind.Reopen:
                return (action with { Comment = (r.Reason ?? r.Comment ?? "").Trim() }, null);
            default:
                return (action, null);
        }
    }

    public static string WhatAppliesTo(AgentActionKind kind) => kind switch
    {
        AgentActionKind.Reopen => "only a resolved incident can be reopened (a closed one stays closed; a new problem opens a new incident)",
        _ => $"only open or acknowledged incidents can be {Verb(kind)}",
    };

    private static string Verb(AgentActionKind kind) => kind switch
    {
        AgentActionKind.Resolve => "resolved",
        AgentActionKind.Assign => "assigned",
        AgentActionKind.Comment => "given notes",
        AgentActionKind.Prioritize => "given another priority",
        _ => "acknowledged",
    };

    private static (AgentAction?, IResult?) Bad(string detail) => (null, Results.Problem(statusCode: 400, title: "Bad request", detail: detail));
}
