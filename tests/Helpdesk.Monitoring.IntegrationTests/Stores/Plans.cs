using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Stores;

/// <summary>Sealed plans for store tests: what a decider decides for some notifications, 100 s after Records.T0.</summary>
internal static class Plans
{
    public static CommitPlan Decide(IncidentDecider decider, params Notification[] notifications) =>
        DecideAt(decider, DateTimeOffset.FromUnixTimeSeconds(Records.T0 + 100), notifications);

    /// <summary>What a decider decides for some notifications applied at <paramref name="now"/>.</summary>
    public static CommitPlan DecideAt(IncidentDecider decider, DateTimeOffset now, params Notification[] notifications)
    {
        var plan = new CommitPlan();
        foreach (var n in notifications)
        {
            var record = Records.Bytes(n);
            var fields = Records.Parse(record);
            decider.Apply(record, in fields, now, false, plan);
        }

        plan.Seal();
        return plan;
    }
}
