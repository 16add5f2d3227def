package dev.lockstep.harness.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InnodbStatusTest {

    /** Cut from MariaDB 10.11's SHOW ENGINE INNODB STATUS while session 3925 waited for a row session 3924 held. */
    private static final String STATUS = """
            ------------
            TRANSACTIONS
            ------------
            Trx id counter 11257
            LIST OF TRANSACTIONS FOR EACH SESSION:
            ---TRANSACTION 11256, ACTIVE 1 sec starting index read
            mysql tables in use 1, locked 1
            LOCK WAIT 2 lock struct(s), heap size 1128, 1 row lock(s)
            MariaDB thread id 3925, OS thread handle 139715737568960, query id 1898965 127.0.0.1 root Updating
            UPDATE h18 SET v=2 WHERE id=1
            ------- TRX HAS BEEN WAITING 1498796 us FOR THIS LOCK TO BE GRANTED:
            RECORD LOCKS space id 344 page no 3 n bits 320 index PRIMARY of table `test`.`h18` trx id 11256 lock_mode X locks rec but not gap waiting
            Record lock, heap no 2 PHYSICAL RECORD: n_fields 4; compact format; info bits 0
             0: len 4; hex 80000001; asc     ;;

            ------------------
            ---TRANSACTION 11255, ACTIVE 2 sec
            2 lock struct(s), heap size 1128, 1 row lock(s), undo log entries 1
            MariaDB thread id 3924, OS thread handle 139716092475072, query id 1898943 127.0.0.1 root\s
            SELECT 'LOCK WAIT 9 lock struct(s), heap size 1, 9 row lock(s)'
            ---TRANSACTION (0x7f122a4a7180), not started
            0 lock struct(s), heap size 1128, 0 row lock(s)
            --------
            FILE I/O
            --------
            """;

    @Test
    void readsWhoWaitsForWhichRecordAndWhoHoldsRowLocks() {
        Map<Integer, InnodbStatus.Transaction> transactions = InnodbStatus.transactions(STATUS);

        assertThat(transactions).containsOnlyKeys(3925, 3924);
        assertThat(transactions.get(3925)).isEqualTo(new InnodbStatus.Transaction("11256", 3925, true, 1, "344:3:2"));
        // the statement's text after the thread line is not read, whatever it says
        assertThat(transactions.get(3924)).isEqualTo(new InnodbStatus.Transaction("11255", 3924, true, 1, null));
        assertThat(transactions.get(3924).waits()).isFalse();
    }

    @Test
    void aWaitForATableLockHasNoRecord() {
        String status = "\n---TRANSACTION 7, ACTIVE 3 sec\nLOCK WAIT 1 lock struct(s), heap size 1128, 0 row lock(s)\n"
                + "MariaDB thread id 12, OS thread handle 1, query id 2 localhost root\nLOCK TABLES t WRITE\n"
                + "------- TRX HAS BEEN WAITING 5 us FOR THIS LOCK TO BE GRANTED:\nTABLE LOCK table `d`.`t` trx id 7 lock mode X waiting\n";

        assertThat(InnodbStatus.transactions(status).get(12).waitedLock()).isEqualTo("table");
    }
}
