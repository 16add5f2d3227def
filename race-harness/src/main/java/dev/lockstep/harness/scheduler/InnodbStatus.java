package dev.lockstep.harness.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transactions of MariaDB's {@code SHOW ENGINE INNODB STATUS}, read as the harness needs them:
 * which session waits for a row or table lock (and which lock), and which sessions hold row locks.
 * It is InnoDB's live view; {@code INFORMATION_SCHEMA.INNODB_TRX} is a cache of it that a frequent
 * reader freezes.
 *
 * <p>A transaction's block reads, for example:
 * <pre>
 * ---TRANSACTION 11256, ACTIVE 1 sec starting index read
 * mysql tables in use 1, locked 1
 * LOCK WAIT 2 lock struct(s), heap size 1128, 1 row lock(s)
 * MariaDB thread id 3925, OS thread handle 139715737568960, query id 1898965 127.0.0.1 root Updating
 * UPDATE h18 SET v=2 WHERE id=1
 * ------- TRX HAS BEEN WAITING 1498796 us FOR THIS LOCK TO BE GRANTED:
 * RECORD LOCKS space id 344 page no 3 n bits 320 index PRIMARY of table `test`.`h18` trx id 11256 lock_mode X locks rec but not gap waiting
 * Record lock, heap no 2 PHYSICAL RECORD: n_fields 4; compact format; info bits 0
 * </pre>
 * The statement's text follows the thread line and may span lines; only the lines before it and
 * after the {@code TRX HAS BEEN WAITING} marker are read.
 */
final class InnodbStatus {

    /**
     * One session's transaction. {@code waitedLock}: {@code space:page:heap} of the record it waits
     * for (how {@code INNODB_LOCK_WAITS.requested_lock_id} ends), {@code table} for a table lock, null
     * when it does not wait.
     */
    record Transaction(String trxId, int threadId, boolean active, int rowLocks, String waitedLock) {
        boolean waits() {
            return waitedLock != null;
        }
    }

    private static final String BLOCK = "\n---TRANSACTION ";
    private static final Pattern LOCKS = Pattern.compile("(?:LOCK WAIT )?\\d+ lock struct\\(s\\), heap size \\d+, (\\d+) row lock\\(s\\)");
    private static final Pattern THREAD = Pattern.compile("(?:MariaDB|MySQL) thread id (\\d+),");
    private static final Pattern RECORD = Pattern.compile("^RECORD LOCKS space id (\\d+) page no (\\d+) ");
    private static final Pattern HEAP = Pattern.compile("^Record lock, heap no (\\d+) ");
    private static final String WAITING = "------- TRX HAS BEEN WAITING ";

    private InnodbStatus() {}

    /** The transactions of sessions (those with a thread id) in {@code status}, by thread id. */
    static Map<Integer, Transaction> transactions(String status) {
        Map<Integer, Transaction> byThread = new LinkedHashMap<>();
        int at = status.indexOf(BLOCK);
        while (at >= 0) {
            int next = status.indexOf(BLOCK, at + 1);
            Transaction trx = transaction(status.substring(at + BLOCK.length(), next < 0 ? status.length() : next));
            if (trx != null) {
                byThread.put(trx.threadId(), trx);
            }
            at = next;
        }
        return byThread;
    }

    private static Transaction transaction(String block) {
        String[] lines = block.split("\n");
        String header = lines[0];
        int comma = header.indexOf(',');
        String trxId = comma < 0 ? header : header.substring(0, comma);
        boolean active = header.contains(", ACTIVE");
        boolean lockWait = false;
        int rowLocks = 0;
        int threadId = -1;
        int i = 1;
        for (; i < lines.length && threadId < 0; i++) {
            Matcher thread = THREAD.matcher(lines[i]);
            Matcher locks = LOCKS.matcher(lines[i]);
            if (thread.lookingAt()) {
                threadId = Integer.parseInt(thread.group(1));
            } else if (locks.lookingAt()) {
                lockWait = lines[i].startsWith("LOCK WAIT ");
                rowLocks = Integer.parseInt(locks.group(1));
            }
        }
        if (threadId < 0) {
            return null; // a background or recovered transaction: no session
        }
        String waited = null;
        if (lockWait) {
            waited = "table"; // unless the record it waits for is named below
            for (; i < lines.length; i++) {
                if (lines[i].startsWith(WAITING) && i + 1 < lines.length) {
                    Matcher record = RECORD.matcher(lines[i + 1]);
                    Matcher heap = i + 2 < lines.length ? HEAP.matcher(lines[i + 2]) : null;
                    if (record.find() && heap != null && heap.find()) {
                        waited = record.group(1) + ":" + record.group(2) + ":" + heap.group(1);
                    }
                    break;
                }
            }
        }
        return new Transaction(trxId, threadId, active, rowLocks, waited);
    }
}
