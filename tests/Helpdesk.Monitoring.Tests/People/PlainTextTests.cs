using Helpdesk.Monitoring.People;

namespace Helpdesk.Monitoring.Tests.People;

/// <summary>What people write is text: no escape sequence reaches a reader's terminal; line breaks and tabs stay.</summary>
public sealed class PlainTextTests
{
    [Theory]
    [InlineData("the disk was full", null)]
    [InlineData("two lines\r\nand a\ttab\n", null)]
    [InlineData("red \u001b[31mALERT", '\u001b')]
    [InlineData("a bell\u0007", '\u0007')]
    [InlineData("nul\u0000", '\u0000')]
    [InlineData("a C1 control\u009b31m", '\u009b')]
    [InlineData("delete\u007f", '\u007f')]
    public void The_first_control_character_is_found_and_line_breaks_and_tabs_are_text(string text, char? control) =>
        Assert.Equal(control, PlainText.FirstControl(text));

    [Theory]
    [InlineData("the disk was full", "the disk was full")]
    [InlineData("two lines\r\nand a\ttab\n", "two lines\nand a\ttab\n")]
    [InlineData("red \u001b[31mALERT\u001b[0m", "red \uFFFD[31mALERT\uFFFD[0m")]
    [InlineData("overwritten\rfake", "overwritten\uFFFDfake")]
    [InlineData("ends in CR\r", "ends in CR\uFFFD")]
    [InlineData("\u001b]0;title\u0007", "\uFFFD]0;title\uFFFD")]
    public void Clean_text_shows_every_control_character_but_line_feeds_and_tabs_as_a_replacement(string text, string shown) =>
        Assert.Equal(shown, PlainText.Clean(text));

    [Fact]
    public void Clean_text_is_returned_as_it_is()
    {
        var text = "nothing to clean\n";
        Assert.Same(text, PlainText.Clean(text));
    }
}
