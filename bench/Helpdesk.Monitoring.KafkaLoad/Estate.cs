using System.Buffers.Text;
using Helpdesk.Monitoring.Kafka;
using Helpdesk.Monitoring.LoadGenerator;
using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.KafkaLoad;

/// <summary>
/// Customers × hosts × services. Records are built once per identity and state; each send copies one and writes a
/// fresh UUIDv7 into it, so the generator stays cheap on the shared CPU.
/// </summary>
internal sealed class Estate
{
    private readonly byte[][] _critical;
    private readonly byte[][] _warning;
    private readonly byte[][] _keys;

    public Estate(int customers, int hostsPerCustomer)
    {
        var count = customers * hostsPerCustomer * TrafficModel.Services.Length;
        (_critical, _warning, _keys) = (new byte[count][], new byte[count][], new byte[count][]);
        var i = 0;
        for (var c = 0; c < customers; c++)
        {
            for (var h = 0; h < hostsPerCustomer; h++)
            {
                foreach (var service in TrafficModel.Services)
                {
                    _critical[i] = NotificationWriter.ToUtf8(TrafficModel.Notification(c, h, service, AlertState.Critical, "CRITICAL - Socket timeout after 10 seconds"));
                    _warning[i] = NotificationWriter.ToUtf8(TrafficModel.Notification(c, h, service, AlertState.Warning, "WARNING - Response time 4.2 s"));
                    if (!NotificationParser.TryParse(_critical[i], out var fields, out var failure))
                    {
                        throw new InvalidOperationException("the generator built a record the service would refuse: " + failure);
                    }

                    _keys[i] = PartitionKey.Of(_critical[i], in fields);
                    i++;
                }
            }
        }
    }

    public int Identities => _critical.Length;

    public byte[] Key(int index) => _keys[index];

    /// <summary>A copy of identity <paramref name="index"/>'s record in the given state, with a new event id.</summary>
    public byte[] Record(int index, bool warning)
    {
        var record = (warning ? _warning[index] : _critical[index]).ToArray();
        var id = record.AsSpan().IndexOf("\"id\":\""u8) + 6;
        Utf8Formatter.TryFormat(Guid.CreateVersion7(), record.AsSpan(id, 36), out _);
        return record;
    }
}
