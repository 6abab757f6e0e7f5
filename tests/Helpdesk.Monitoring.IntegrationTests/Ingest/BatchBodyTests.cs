using System.Text;
using System.Text.Json;
using Helpdesk.Monitoring.Hosting.Ingest;
using Helpdesk.Monitoring.Notifications;
using Helpdesk.Monitoring.Tests;

namespace Helpdesk.Monitoring.IntegrationTests.Ingest;

/// <summary>
/// The quick split of a POST body against the JSON reader's: the same records wherever the reader accepts the body,
/// and, where it refuses it, either no answer or a record that is not a JSON object (which the endpoint then parses,
/// refuses, and so asks the reader).
/// </summary>
public sealed class BatchBodyTests
{
    [Theory]
    [InlineData("{\"v\":1}")]
    [InlineData("  {\"v\":1} \r\n")]
    [InlineData("[]")]
    [InlineData(" [ ] ")]
    [InlineData("[{\"v\":1},{\"v\":2}]")]
    [InlineData("[ {\"v\":1} ,\n\t{\"v\":2} ]")]
    [InlineData("[{\"a\":\"}]{[\",\"b\":[1,{\"c\":\"]\"}]}]")]
    [InlineData("[{\"a\":{}},{\"b\":[[]]}]")]
    public void Bodies_the_reader_accepts_split_the_same(string body) => AssertAgrees(body, expectQuick: true);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[")]
    [InlineData("[{\"v\":1}")]
    [InlineData("[{\"v\":1},]")]
    [InlineData("[{\"v\":1},,{\"v\":2}]")]
    [InlineData("[{\"v\":1}{\"v\":2}]")]
    [InlineData("[{\"v\":1}] x")]
    [InlineData("{\"v\":1}{\"v\":2}")]
    [InlineData("[{\"v\":1]]")]
    [InlineData("[{\"v\":\"}]")]
    [InlineData("[{\"v\" 1},{\"v\":2}]")]
    [InlineData("\"text\"")]
    [InlineData("\uFEFF[{\"v\":1}]")]
    public void Bodies_the_reader_refuses_get_no_quick_answer_or_a_record_that_is_not_json(string body) => AssertAgrees(body, expectQuick: false);

    [Theory]
    [InlineData("[{\"v\":1},\n{\"v\" 1}]", "not valid JSON at line 2, byte 6: '1' is invalid after a property name. Expected a ':'")]
    [InlineData("{\"vars\":{\"_A\":{\"b\":{\"c\":{\"d\":1}}}}}", "not valid JSON at line 1, byte 25: values nest too deeply: the body is one notification or an array of them, a notification is one object, and only its \"vars\" holds another (custom variables as strings)")]
    public void A_refused_body_says_where_and_why_in_a_sentence(string text, string expected) =>
        Assert.Equal(expected, BatchBody.Split(Encoding.UTF8.GetBytes(text)).Error);

    [Theory]
    [InlineData("[{\"v\":\"a\\\"}\"}]")]
    [InlineData("[1,{\"v\":2}]")]
    [InlineData("[{\"v\":1},\"text\"]")]
    public void A_backslash_or_an_element_that_is_not_an_object_leaves_the_body_to_the_reader(string text)
    {
        var body = Encoding.UTF8.GetBytes(text);
        Assert.Null(BatchBody.SplitUnchecked(body));
        Assert.Null(BatchBody.Split(body).Error);
    }

    [Fact]
    public void Writer_batches_with_brackets_in_their_text_split_the_same_and_damage_is_always_noticed()
    {
        var random = new Random(20261130);
        for (var round = 0; round < 300; round++)
        {
            var records = Enumerable.Range(0, random.Next(1, 12)).Select(i => Records.Bytes(Records.Service(NotificationType.Problem,
                host: "h" + i, output: Noise(random), customer: "c{" + random.Next(100) + "]")));
            var spaces = new[] { "", " ", "\n", "\r\n\t" };
            var body = Encoding.UTF8.GetBytes("[" + string.Join("," + spaces[random.Next(spaces.Length)], records.Select(Encoding.UTF8.GetString)) + "]");
            AssertAgrees(Encoding.UTF8.GetString(body), expectQuick: true);

            // One byte taken out or changed anywhere: the reader may refuse the body; the quick split must not hide it.
            var damaged = body.ToList();
            var at = random.Next(damaged.Count);
            if (random.Next(2) == 0)
            {
                damaged.RemoveAt(at);
            }
            else
            {
                damaged[at] = "{}[],\" x"u8[random.Next(8)];
            }

            AssertAgrees(Encoding.UTF8.GetString(damaged.ToArray()), expectQuick: null);
        }
    }

    private static string Noise(Random random)
    {
        // Brackets and braces in plugin output, some of them across the split's 64-byte blocks.
        const string alphabet = "abc {}[] ,:-";
        return new string(Enumerable.Range(0, random.Next(0, 150)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    /// <param name="expectQuick">true: the quick split must answer; false: the reader must refuse; null: either.</param>
    private static void AssertAgrees(string text, bool? expectQuick)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var (records, error) = BatchBody.Split(body);
        var quick = BatchBody.SplitUnchecked(body);
        if (expectQuick == true)
        {
            Assert.Null(error);
            Assert.NotNull(quick);
        }
        else if (expectQuick == false)
        {
            Assert.NotNull(error);
        }

        if (error is null)
        {
            if (quick is not null)
            {
                Assert.Equal(records, quick);
            }

            return;
        }

        // The reader refuses the body: the quick split gives nothing, or a record the parser will refuse.
        if (quick is not null)
        {
            Assert.Contains(quick, r => !IsJsonObject(body.AsSpan()[r]));
        }
    }

    private static bool IsJsonObject(ReadOnlySpan<byte> record)
    {
        try
        {
            var reader = new Utf8JsonReader(record);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
