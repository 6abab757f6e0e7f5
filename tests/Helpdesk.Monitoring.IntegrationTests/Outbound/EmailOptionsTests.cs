using Helpdesk.Monitoring.Outbound;

namespace Helpdesk.Monitoring.IntegrationTests.Outbound;

/// <summary>An e-mail channel's addresses are checked at start, each mistake named, as a mail server would take them.</summary>
public sealed class EmailOptionsTests
{
    private static EmailOptions Channel(string from, params string[] to) => new() { Smtp = new SmtpOptions { Host = "mail.example.com" }, From = from, To = [.. to] };

    [Fact]
    public void Addresses_need_a_domain_and_each_wrong_one_is_named()
    {
        Assert.Empty(Channel("Helpdesk <helpdesk@example.com>", "oncall@example.com", "Team <team@example.com>").Validate("Helpdesk:Outbound:Email:ops"));

        // A bare name parses as an address without a domain; no mail server delivers it.
        Assert.Equal(
            [
                "Helpdesk:Outbound:Email:ops:From must be one e-mail address, such as 'Helpdesk <helpdesk@example.com>', not 'helpdesk'",
                "Helpdesk:Outbound:Email:ops:To: 'oncall' is not an e-mail address such as oncall@example.com",
            ],
            Channel("helpdesk", "oncall@example.com", "oncall").Validate("Helpdesk:Outbound:Email:ops"));
    }

    [Fact]
    public void No_address_at_all_says_how_to_give_a_list()
    {
        // --Helpdesk:Outbound:Email:ops:To a@example.com binds no list: the message says how one is written.
        var error = Assert.Single(Channel("helpdesk@example.com").Validate("Helpdesk:Outbound:Email:ops"));
        Assert.StartsWith("Helpdesk:Outbound:Email:ops:To must list at least one e-mail address (in JSON a list", error, StringComparison.Ordinal);
        Assert.Contains("To:0, To:1", error, StringComparison.Ordinal);
    }
}
