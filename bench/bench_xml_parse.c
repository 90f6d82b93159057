/*
 * bench_xml_parse.c - times the legacy XML reader over a corpus.
 *
 *   bench_xml_parse [-r ROUNDS] [-only ctm|xmllint|reader] DIR...
 *
 * Lists every *.xml file in the folders (sorted), reads them all once to
 * warm the page cache, then for each round times, over the same list:
 *   ctm      ctm_xml_open_file + ctm_xml_next until the end (trials freed)
 *   xmllint  one `xmllint --stream --noout FILE...` process (batches of 2000)
 *   reader   libxml2's xmlTextReaderRead loop in this process (what
 *            xmllint --stream does, without its process)
 * and prints the best CPU time (user + system) of each and the ratios.
 */
#include <ctm/parsers.h>

#include <dirent.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

extern char **environ;

static char **files;
static size_t n_files, cap_files;

/* CPU seconds (user + system) of this process, or of its waited-for
 * children: the machine is shared, so wall time is noisy. */
static double cpu(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double now(void)
{
	return cpu(RUSAGE_SELF);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d) {
		fprintf(stderr, "%s: cannot open folder\n", dir);
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char *p;

		if (len < 5 || strcmp(e->d_name + len - 4, ".xml"))
			continue;
		if (n_files == cap_files) {
			char **nf;
			cap_files = cap_files ? cap_files * 2 : 1024;
			nf = realloc(files, cap_files * sizeof(*files));
			if (!nf)
				return -1;
			files = nf;
		}
		p = malloc(strlen(dir) + len + 2);
		if (!p)
			return -1;
		sprintf(p, "%s/%s", dir, e->d_name);
		files[n_files++] = p;
	}
	closedir(d);
	return 0;
}

static void warm(void)
{
	static char buf[1 << 16];
	size_t i;

	for (i = 0; i < n_files; i++) {
		FILE *f = fopen(files[i], "rb");
		if (!f)
			continue;
		while (fread(buf, 1, sizeof(buf), f) > 0)
			;
		fclose(f);
	}
}

static double run_ctm(size_t *n_trials, size_t *n_errors)
{
	double t0 = now();
	size_t i;

	*n_trials = *n_errors = 0;
	for (i = 0; i < n_files; i++) {
		ctm_xml_reader *r;
		ctm_trial *t;
		ctm_error err;
		int rc;

		if (ctm_xml_open_file(&r, files[i], &err)) {
			(*n_errors)++;
			continue;
		}
		while ((rc = ctm_xml_next(r, &t, &err)) != 0) {
			if (rc < 0) {
				char buf[1024];
				if (*n_errors < 5)
					fprintf(stderr, "%s\n",
						ctm_error_format(&err, buf,
								 sizeof(buf)));
				(*n_errors)++;
				continue;
			}
			(*n_trials)++;
			ctm_trial_free(t);
		}
		ctm_xml_close(r);
	}
	return now() - t0;
}

static double run_xmllint(void)
{
	const size_t batch = 2000;
	double t0 = cpu(RUSAGE_CHILDREN);
	size_t i, j;

	for (i = 0; i < n_files; i += batch) {
		size_t n = n_files - i < batch ? n_files - i : batch;
		char **argv = malloc((n + 4) * sizeof(*argv));
		pid_t pid;
		int status;

		if (!argv)
			return -1;
		argv[0] = "xmllint";
		argv[1] = "--stream";
		argv[2] = "--noout";
		for (j = 0; j < n; j++)
			argv[3 + j] = files[i + j];
		argv[3 + n] = NULL;
		if (posix_spawnp(&pid, "xmllint", NULL, NULL, argv, environ)) {
			fprintf(stderr, "cannot run xmllint\n");
			free(argv);
			return -1;
		}
		free(argv);
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			fprintf(stderr, "xmllint reported a failure\n");
	}
	return cpu(RUSAGE_CHILDREN) - t0;
}

static double run_reader(void)
{
	double t0 = now();
	size_t i;

	for (i = 0; i < n_files; i++) {
		xmlTextReaderPtr r =
			xmlReaderForFile(files[i], NULL,
					 XML_PARSE_NONET | XML_PARSE_COMPACT |
						 XML_PARSE_BIG_LINES);
		if (!r)
			continue;
		while (xmlTextReaderRead(r) == 1)
			;
		xmlFreeTextReader(r);
	}
	return now() - t0;
}

int main(int argc, char **argv)
{
	double best_ctm = 1e30, best_lint = 1e30, best_reader = 1e30;
	size_t n_trials = 0, n_errors = 0;
	const char *only = NULL;
	int rounds = 3, i, k;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-r") && i + 1 < argc)
			rounds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-only") && i + 1 < argc)
			only = argv[++i];
		else if (add_dir(argv[i]))
			return 2;
	}
	if (!n_files) {
		fprintf(stderr,
			"usage: bench_xml_parse [-r ROUNDS] DIR... (no *.xml "
			"files found)\n");
		return 2;
	}
	qsort(files, n_files, sizeof(*files), cmp_str);
	xmlInitParser();
	warm();
	for (k = 0; k < rounds; k++) {
		double a = 0, b = 0, c = 0;

		if (!only || !strcmp(only, "ctm"))
			a = run_ctm(&n_trials, &n_errors);
		if (!only || !strcmp(only, "xmllint"))
			b = run_xmllint();
		if (!only || !strcmp(only, "reader"))
			c = run_reader();

		printf("round %d: ctm %.3f s, xmllint --stream %.3f s, "
		       "reader loop %.3f s\n",
		       k + 1, a, b, c);
		if (a < best_ctm)
			best_ctm = a;
		if (b >= 0 && b < best_lint)
			best_lint = b;
		if (c < best_reader)
			best_reader = c;
	}
	printf("%zu files, %zu trials, %zu rejected\n", n_files, n_trials,
	       n_errors);
	printf("best: ctm %.3f s, xmllint --stream --noout %.3f s, reader "
	       "loop %.3f s\n",
	       best_ctm, best_lint, best_reader);
	printf("ratio ctm/xmllint %.2f, ctm/reader loop %.2f\n",
	       best_ctm / best_lint, best_ctm / best_reader);
	for (i = 0; i < (int)n_files; i++)
		free(files[i]);
	free(files);
	return n_errors ? 1 : 0;
}
