namespace Helpdesk.Monitoring.Notifications;

/// <summary>The properties of a v1 wire record; the numeric value is a bit position for duplicate detection.</summary>
internal enum WireField : byte
{
    Unknown = 0,
    V, Id, Instance, Type, TimeT, Host, HostAlias, HostAddress, HostState, HostStateType, HostOutput, LongHostOutput,
    Service, ServiceState, ServiceStateType, ServiceAttempt, ServiceOutput, LongServiceOutput, ServiceProblemId,
    LastServiceProblemId, HostProblemId, LastHostProblemId, NotificationNumber, Author, Comment, LongDateTime,
    HostGroups, ServiceGroups, HostNotes, HostNotesUrl, HostActionUrl, ServiceNotes, ServiceNotesUrl, ServiceActionUrl, Vars,
}

/// <summary>Property names of the v1 wire record (<see cref="WireFields"/>), matched from bytes.</summary>
internal static class WireFieldNames
{
    // The one copy of the names outside the table, on purpose: the parser matches ~20 names per record, and a switch on
    // the length with constant UTF-8 literals compiles to a jump and one unrolled comparison, which a table-driven
    // match (tried: by length, and open-addressed) could not equal: parsing ran 7-10 % slower. A test checks that every
    // row of the table, and nothing else, matches here.
    public static WireField Match(ReadOnlySpan<byte> name) => name.Length switch
    {
        1 when name[0] == (byte)'v' => WireField.V,
        2 when name.SequenceEqual("id"u8) => WireField.Id,
        4 when name.SequenceEqual("host"u8) => WireField.Host,
        4 when name.SequenceEqual("type"u8) => WireField.Type,
        4 when name.SequenceEqual("vars"u8) => WireField.Vars,
        5 when name.SequenceEqual("timet"u8) => WireField.TimeT,
        6 when name.SequenceEqual("author"u8) => WireField.Author,
        7 when name.SequenceEqual("service"u8) => WireField.Service,
        7 when name.SequenceEqual("comment"u8) => WireField.Comment,
        8 when name.SequenceEqual("instance"u8) => WireField.Instance,
        9 when name.SequenceEqual("hostState"u8) => WireField.HostState,
        9 when name.SequenceEqual("hostAlias"u8) => WireField.HostAlias,
        9 when name.SequenceEqual("hostNotes"u8) => WireField.HostNotes,
        10 when name.SequenceEqual("hostOutput"u8) => WireField.HostOutput,
        10 when name.SequenceEqual("hostGroups"u8) => WireField.HostGroups,
        11 when name.SequenceEqual("hostAddress"u8) => WireField.HostAddress,
        12 when name.SequenceEqual("serviceState"u8) => WireField.ServiceState,
        12 when name.SequenceEqual("longDateTime"u8) => WireField.LongDateTime,
        12 when name.SequenceEqual("hostNotesUrl"u8) => WireField.HostNotesUrl,
        12 when name.SequenceEqual("serviceNotes"u8) => WireField.ServiceNotes,
        13 when name.SequenceEqual("serviceOutput"u8) => WireField.ServiceOutput,
        13 when name.SequenceEqual("hostStateType"u8) => WireField.HostStateType,
        13 when name.SequenceEqual("hostProblemId"u8) => WireField.HostProblemId,
        13 when name.SequenceEqual("serviceGroups"u8) => WireField.ServiceGroups,
        13 when name.SequenceEqual("hostActionUrl"u8) => WireField.HostActionUrl,
        14 when name.SequenceEqual("longHostOutput"u8) => WireField.LongHostOutput,
        14 when name.SequenceEqual("serviceAttempt"u8) => WireField.ServiceAttempt,
        15 when name.SequenceEqual("serviceNotesUrl"u8) => WireField.ServiceNotesUrl,
        16 when name.SequenceEqual("serviceStateType"u8) => WireField.ServiceStateType,
        16 when name.SequenceEqual("serviceProblemId"u8) => WireField.ServiceProblemId,
        16 when name.SequenceEqual("serviceActionUrl"u8) => WireField.ServiceActionUrl,
        17 when name.SequenceEqual("longServiceOutput"u8) => WireField.LongServiceOutput,
        17 when name.SequenceEqual("lastHostProblemId"u8) => WireField.LastHostProblemId,
        18 when name.SequenceEqual("notificationNumber"u8) => WireField.NotificationNumber,
        20 when name.SequenceEqual("lastServiceProblemId"u8) => WireField.LastServiceProblemId,
        _ => WireField.Unknown,
    };
}
