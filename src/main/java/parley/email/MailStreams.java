package parley.email;

/**
 * Jakarta Mail 2.1 looks its stream provider up with a {@code ServiceLoader} scan of the class path on every
 * multipart, header block and decoded body (jakartaee/mail-api#861): a sixth of the CPU that receiving a mail took.
 * Naming the provider in its system property turns each lookup into a class already loaded.
 */
public final class MailStreams {
    private static final String PROPERTY = "jakarta.mail.util.StreamProvider";

    private MailStreams() {
    }

    /** Names Angus Mail's provider, unless the JVM was started with another. */
    public static void useAngus() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }
}
