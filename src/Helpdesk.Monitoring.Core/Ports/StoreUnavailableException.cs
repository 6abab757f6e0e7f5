namespace Helpdesk.Monitoring.Ports;

/// <summary>
/// The store cannot take writes for now: a full disk, a read-only or failing file system, a lock another process
/// holds. The plan is not wrong, and the same plan commits once the store can; deciding the batch again would change
/// nothing, so the committer waits for the store instead of rebuilding its state. The message is a sentence for the
/// person who must mend it.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception inner) : Exception(message, inner);
