package parley.bench;

/** One capability's measurements; it adds a Markdown part and JSON figures to the report. */
interface Section {
    /** The short name {@code parley bench --section} selects it by. */
    String key();

    String title();

    void run(BenchContext context, Report.Part part) throws Exception;
}
