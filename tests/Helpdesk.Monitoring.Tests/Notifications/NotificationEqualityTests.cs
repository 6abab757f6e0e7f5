using Helpdesk.Monitoring.Notifications;

namespace Helpdesk.Monitoring.Tests.Notifications;

/// <summary>
/// Two notifications are equal only when every field is: the parser property tests compare with it, so a field left
/// out of the comparison would let a parser bug on that field pass.
/// </summary>
public sealed class NotificationEqualityTests
{
    private static readonly Notification Full = Records.Service(NotificationType.Problem) with
    {
        HostAlias = "a", HostAddress = "b", HostStateType = "HARD", HostOutput = "c", LongHostOutput = "d", ServiceAttempt = 2,
        LongServiceOutput = "e", ServiceProblemId = "1", LastServiceProblemId = "2", HostProblemId = "3", LastHostProblemId = "4",
        LongDateTime = "f", HostGroups = "g", ServiceGroups = "h", Author = "i", Comment = "j",
    };

    public static TheoryData<string, Notification> OneFieldChanged => new()
    {
        { "Version", Full with { Version = 9 } },
        { "EventId", Full with { EventId = Guid.CreateVersion7() } },
        { "Instance", Full with { Instance = "x" } },
        { "Type", Full with { Type = NotificationType.Recovery } },
        { "TimeT", Full with { TimeT = Full.TimeT + 1 } },
        { "Host", Full with { Host = "x" } },
        { "HostAlias", Full with { HostAlias = "x" } },
        { "HostAddress", Full with { HostAddress = "x" } },
        { "HostState", Full with { HostState = AlertState.Down } },
        { "HostStateType", Full with { HostStateType = "SOFT" } },
        { "HostOutput", Full with { HostOutput = "x" } },
        { "LongHostOutput", Full with { LongHostOutput = "x" } },
        { "Service", Full with { Service = "x" } },
        { "ServiceState", Full with { ServiceState = AlertState.Warning } },
        { "ServiceStateType", Full with { ServiceStateType = "SOFT" } },
        { "ServiceAttempt", Full with { ServiceAttempt = 3 } },
        { "ServiceOutput", Full with { ServiceOutput = "x" } },
        { "LongServiceOutput", Full with { LongServiceOutput = "x" } },
        { "ServiceProblemId", Full with { ServiceProblemId = "x" } },
        { "LastServiceProblemId", Full with { LastServiceProblemId = "x" } },
        { "HostProblemId", Full with { HostProblemId = "x" } },
        { "LastHostProblemId", Full with { LastHostProblemId = "x" } },
        { "NotificationNumber", Full with { NotificationNumber = 5 } },
        { "Author", Full with { Author = "x" } },
        { "Comment", Full with { Comment = "x" } },
        { "LongDateTime", Full with { LongDateTime = "x" } },
        { "HostGroups", Full with { HostGroups = "x" } },
        { "ServiceGroups", Full with { ServiceGroups = "x" } },
        { "a var's value", Full with { Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "other" } } },
        { "a var's name", Full with { Vars = new Dictionary<string, string> { ["_SERVICECUSTOMER"] = "acme" } } },
        { "one var more", Full with { Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "acme", ["_X"] = "y" } } },
    };

    [Theory]
    [MemberData(nameof(OneFieldChanged))]
    public void A_notification_differing_in_one_field_is_not_equal(string field, Notification changed)
    {
        Assert.False(Full.Equals(changed), field);
        Assert.False(changed.Equals(Full), field);
    }

    [Fact]
    public void A_copy_is_equal_with_the_same_hash()
    {
        var copy = Full with { Vars = new Dictionary<string, string> { ["_HOSTCUSTOMER"] = "acme" } };
        Assert.True(Full.Equals(copy));
        Assert.Equal(Full.GetHashCode(), copy.GetHashCode());
        Assert.False(Full.Equals(null));
    }
}
