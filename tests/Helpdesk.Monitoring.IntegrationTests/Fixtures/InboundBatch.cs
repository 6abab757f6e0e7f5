using Helpdesk.Monitoring.Incidents;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Ports;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Fixtures;

/// <summary>Notifications as a source hands them to the committer, with receipts nobody waits on.</summary>
public static class InboundBatch
{
    public static List<InboundNotification?> Of(params Notification[] notifications) =>
        notifications.Select(n =>
        {
            var record = Records.Bytes(n);
            return (InboundNotification?)new InboundNotification(record, Records.Parse(record), new IgnoredReceipt());
        }).ToList();

    public sealed class IgnoredReceipt : IngestReceipt
    {
        public override void Committed(ApplyOutcome outcome)
        {
        }
    }
}
