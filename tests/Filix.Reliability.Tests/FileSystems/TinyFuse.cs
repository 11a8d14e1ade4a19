using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace Filix.Reliability.Tests.FileSystems;

/// <summary>
/// A real FUSE mount served from this process: an empty root directory that answers the kernel's INIT, GETATTR,
/// LOOKUP (nothing there) and STATFS, and ENOSYS to everything else. It needs /dev/fuse and the right to mount (root, or
/// CAP_SYS_ADMIN in a container), no FUSE library or daemon. It records every request, so a test can prove that
/// nothing was created on it.
/// </summary>
internal sealed class TinyFuse : IDisposable
{
    // Opcodes of include/uapi/linux/fuse.h.
    public const uint Lookup = 1, Forget = 2, GetAttr = 3, SetAttr = 4, MkNod = 8, MkDir = 9, Open = 14, Write = 16, StatFs = 17,
        Init = 26, Interrupt = 36, Destroy = 38, Create = 35, BatchForget = 42;

    private const int ENoEnt = 2, EIntr = 4, EAgain = 11, ENoSys = 38;

    private readonly int _fd;
    private readonly string _target;
    private readonly Thread _thread;
    private readonly ConcurrentQueue<uint> _requests = new();
    private int _disposed;

    private TinyFuse(int fd, string target)
    {
        _fd = fd;
        _target = target;
        _thread = new Thread(Serve) { IsBackground = true, Name = "TinyFuse " + target };
        _thread.Start();
    }

    /// <summary>Every opcode the kernel sent so far.</summary>
    public IReadOnlyCollection<uint> Requests => _requests.ToArray();

    /// <summary>Mounts on <paramref name="target"/> as <c>fuse.<paramref name="subtype"/></c>, or says why it cannot.</summary>
    public static TinyFuse? TryMount(string target, string subtype, out string? reason)
    {
        reason = null;
        if (!OperatingSystem.IsLinux())
        {
            reason = "FUSE mounts are Linux-only in this test";
            return null;
        }

        var fd = open(Z("/dev/fuse"), 2 | 0x80000); // O_RDWR | O_CLOEXEC
        if (fd < 0)
        {
            reason = "cannot open /dev/fuse: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
            return null;
        }

        var data = $"fd={fd},rootmode=40000,user_id={geteuid()},group_id={getegid()}";
        if (mount(Z("filix-test"), Z(target), Z("fuse." + subtype), 2 | 4 /* MS_NOSUID | MS_NODEV */, Z(data)) != 0)
        {
            reason = $"mount(2) of a FUSE file system failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())} (needs root or CAP_SYS_ADMIN)";
            close(fd);
            return null;
        }

        return new TinyFuse(fd, target);
    }

    private void Serve()
    {
        var buffer = new byte[(1 << 20) + 8192]; // the kernel wants room for max_write plus headers
        while (true)
        {
            var count = (long)read(_fd, buffer, buffer.Length);
            if (count < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is EIntr or EAgain or ENoEnt)
                {
                    continue; // ENOENT: the request was interrupted before we read it
                }

                return; // ENODEV: unmounted
            }

            var request = buffer.AsSpan(0, (int)count);
            var opcode = BinaryPrimitives.ReadUInt32LittleEndian(request[4..]);
            var unique = BinaryPrimitives.ReadUInt64LittleEndian(request[8..]);
            var node = BinaryPrimitives.ReadUInt64LittleEndian(request[16..]);
            _requests.Enqueue(opcode);
            switch (opcode)
            {
                case Forget or BatchForget or Interrupt:
                    break; // no reply expected
                case Init:
                    Reply(unique, 0, InitReply(BinaryPrimitives.ReadUInt32LittleEndian(request[44..])));
                    break;
                case GetAttr when node == 1:
                    Reply(unique, 0, RootAttributes());
                    break;
                case GetAttr or Lookup:
                    Reply(unique, -ENoEnt, []);
                    break;
                case StatFs:
                    Reply(unique, 0, StatFsReply());
                    break;
                case Destroy:
                    Reply(unique, 0, []);
                    return;
                default:
                    Reply(unique, -ENoSys, []);
                    break;
            }
        }
    }

    private static byte[] InitReply(uint kernelMinor)
    {
        var reply = new byte[64]; // fuse_init_out
        BinaryPrimitives.WriteUInt32LittleEndian(reply, 7); // major
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(4), Math.Min(kernelMinor, 31u)); // minor
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(8), 65536); // max_readahead
        BinaryPrimitives.WriteUInt16LittleEndian(reply.AsSpan(16), 16); // max_background
        BinaryPrimitives.WriteUInt16LittleEndian(reply.AsSpan(18), 12); // congestion_threshold
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(20), 65536); // max_write
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(24), 1); // time_gran
        return reply;
    }

    private static byte[] RootAttributes()
    {
        var reply = new byte[104]; // fuse_attr_out: attr_valid, attr_valid_nsec, dummy, fuse_attr
        BinaryPrimitives.WriteUInt64LittleEndian(reply.AsSpan(16), 1); // ino
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(76), 0x41ED); // mode: directory 0755
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(80), 2); // nlink
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(84), geteuid()); // uid
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(88), getegid()); // gid
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(96), 4096); // blksize
        return reply;
    }

    private static byte[] StatFsReply()
    {
        var reply = new byte[80]; // fuse_kstatfs
        BinaryPrimitives.WriteUInt64LittleEndian(reply, 1024); // blocks
        BinaryPrimitives.WriteUInt64LittleEndian(reply.AsSpan(8), 1024); // bfree
        BinaryPrimitives.WriteUInt64LittleEndian(reply.AsSpan(16), 1024); // bavail
        BinaryPrimitives.WriteUInt64LittleEndian(reply.AsSpan(24), 100); // files
        BinaryPrimitives.WriteUInt64LittleEndian(reply.AsSpan(32), 100); // ffree
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(40), 4096); // bsize
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(44), 255); // namelen
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(48), 4096); // frsize
        return reply;
    }

    private void Reply(ulong unique, int error, byte[] payload)
    {
        var message = new byte[16 + payload.Length]; // fuse_out_header: len, error, unique
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), error);
        BinaryPrimitives.WriteUInt64LittleEndian(message.AsSpan(8), unique);
        payload.CopyTo(message, 16);
        write(_fd, message, message.Length);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // A lazy unmount releases the super block once nothing uses it; the kernel then aborts the connection and
        // the serving thread's read fails with ENODEV.
        umount2(Z(_target), 2 /* MNT_DETACH */);
        _thread.Join();
        close(_fd);
    }

    private static byte[] Z(string s) => Encoding.UTF8.GetBytes(s + "\0");

#pragma warning disable SYSLIB1054, CA5392 // plain libc calls of a test helper; strings go as UTF-8 bytes
    [DllImport("libc", SetLastError = true)]
    private static extern int open(byte[] path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int mount(byte[] source, byte[] target, byte[] type, ulong flags, byte[] data);

    [DllImport("libc", SetLastError = true)]
    private static extern int umount2(byte[] target, int flags);

    [DllImport("libc")]
    private static extern uint geteuid();

    [DllImport("libc")]
    private static extern uint getegid();
#pragma warning restore SYSLIB1054, CA5392
}
