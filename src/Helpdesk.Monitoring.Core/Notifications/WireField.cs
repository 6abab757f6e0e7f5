namespace Helpdesk.Monitoring.Notifications;

/// <summary>The properties of a v1 wire record; the numeric value is a bit position for duplicate detection.</summary>
internal enum WireField : byte
{
    Unknown = 0,
    V, Id, Instance, Type, TimeT, Host, HostAlias, HostAddress, HostState, HostStateType, HostOutput, LongHostOutput,
    Service, ServiceState, ServiceStateType, ServiceAttempt, ServiceOutput, LongServiceOutput, ServiceProblemId,
    LastServiceProblemId, HostProblemId, LastHostProblemId, NotificationNumber, Author, Comment, LongDateTime,
    HostGroups, ServiceGroups, Vars,
}

/// <summary>Property names of the v1 wire record (<see cref="WireFields"/>), matched from bytes.</summary>
internal static class WireFieldNames
{
    // An open-addressed table made from WireFields at start: a name's length, first and last byte pick its slot, and
    // one comparison decides, as fast as a hand-written switch on length (the parser matches ~20 names per record)
    // while the names stay spelled only in the table.
    private const int SlotMask = 127;

    private static readonly Slot[] Slots = Build();

    public static WireField Match(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty)
        {
            return WireField.Unknown;
        }

        for (var i = SlotOf(name.Length, name[0], name[^1]); ; i = (i + 1) & SlotMask)
        {
            ref readonly var slot = ref Slots[i];
            if (slot.Name is null)
            {
                return WireField.Unknown;
            }

            if (name.SequenceEqual(slot.Name))
            {
                return slot.Field;
            }
        }
    }

    // Chosen so that today's names land in distinct slots (a test holds it); a new name that collides still matches,
    // one slot further on.
    internal static int SlotOf(int length, byte first, byte last) => (length + (first * 4) + (last * 11)) & SlotMask;

    private static Slot[] Build()
    {
        var slots = new Slot[SlotMask + 1];
        foreach (var row in WireFields.Rows)
        {
            var i = SlotOf(row.Utf8.Length, row.Utf8[0], row.Utf8[^1]);
            while (slots[i].Name is not null)
            {
                i = (i + 1) & SlotMask;
            }

            slots[i] = new Slot(row.Utf8, row.Field);
        }

        return slots;
    }

    private readonly record struct Slot(byte[]? Name, WireField Field);
}
