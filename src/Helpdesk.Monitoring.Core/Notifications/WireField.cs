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
    // By length, then byte for byte: most lengths hold one name, none more than four, so a match is a length check and
    // one or two comparisons, as fast as a hand-written switch and spelled nowhere but the table.
    private static readonly WireFieldRow[][] ByLength = Bucket();

    public static WireField Match(ReadOnlySpan<byte> name)
    {
        if (name.Length >= ByLength.Length)
        {
            return WireField.Unknown;
        }

        foreach (var row in ByLength[name.Length])
        {
            if (name.SequenceEqual(row.Utf8))
            {
                return row.Field;
            }
        }

        return WireField.Unknown;
    }

    private static WireFieldRow[][] Bucket()
    {
        var longest = WireFields.Rows.Max(r => r.Utf8.Length);
        return Enumerable.Range(0, longest + 1).Select(length => WireFields.Rows.Where(r => r.Utf8.Length == length).ToArray()).ToArray();
    }
}
