namespace Helpdesk.Monitoring.Files;

/// <summary>
/// Writes expired archived incidents as JSON lines before the archive lets them go. A file per slice, named after
/// the slice's lowest incident number: a crash after the file and before the delete writes the same file again on
/// the next run (atomically replaced), so nothing is lost and no line is written twice.
/// </summary>
public sealed class ArchiveExport(string directory)
{
    /// <summary>0750: exports hold customers' data; the service's group may read them, nobody else.</summary>
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;

    public string Directory => directory;

    /// <summary>Writes one file holding these lines (each a JSON document without a line break); returns its path.</summary>
    public string Write(long firstId, IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        EnsureDirectory();
        var path = Path.Combine(directory, $"incidents-{firstId:D12}.jsonl");
        var content = new MemoryStream();
        foreach (var line in lines)
        {
            content.Write(line.Span);
            content.WriteByte((byte)'\n');
        }

        DurableFile.Write(directory, path, content.GetBuffer().AsSpan(0, (int)content.Length), replace: true);
        return path;
    }

    private void EnsureDirectory()
    {
        var info = new DirectoryInfo(directory);
        if (info.LinkTarget is not null)
        {
            throw new IOException($"the archive export directory {directory} is a symbolic link; the service writes only into a real directory it owns");
        }

        if (!info.Exists)
        {
            System.IO.Directory.CreateDirectory(directory, DirectoryMode);
        }
    }
}
