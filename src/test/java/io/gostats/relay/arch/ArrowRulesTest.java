package io.gostats.relay.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The arrow rules of docs/DESIGN.md, checked on the main classes: a rule broken here is a design change to discuss
 * in that document first, not a test to loosen.
 */
class ArrowRulesTest {

    private static final String ROOT = "io.gostats.relay";
    private static final String[] STAGES = { ROOT + ".discovery..", ROOT + ".collect..", ROOT + ".derive.." };
    private static final String[] READERS = { ROOT + ".web..", ROOT + ".health.." };

    static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void noCycleBetweenPackages() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(main);
        slices().matching(ROOT + ".sink.(*)..").should().beFreeOfCycles().check(main);
        slices().matching(ROOT + ".sink.mackerel.(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(main);
    }

    @Test
    void theRootPackageHoldsNoClass() {
        noClasses().should().resideInAPackage(ROOT).check(main);
    }

    @Test
    void modelConfigAndUtilImportNothingElseOfTheProject() {
        for (String leaf : new String[] { "model", "config", "util" }) {
            noClasses().that().resideInAPackage(ROOT + "." + leaf + "..")
                    .should().dependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.and(
                            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage(ROOT + ".."),
                            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages(
                                    ROOT + "." + leaf + "..", ROOT + ".util..")))
                    .because(leaf + " is a leaf: everything may import it, it imports nothing of ours").check(main);
        }
    }

    @Test
    void stagesImportTheModelConfigAndDockerNeverEachOther() {
        for (String stage : STAGES) {
            classes().that().resideInAPackage(stage)
                    .should().onlyDependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.or(
                            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage(ROOT + ".."),
                            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(stage,
                                    ROOT + ".model..", ROOT + ".config..", ROOT + ".docker..", ROOT + ".util..")))
                    .because("a stage knows the model, never another stage: only the cycle knows them all")
                    .check(main);
        }
    }

    @Test
    void dockerIsUsedByDiscoveryAndCollectOnly() {
        classes().that().resideInAPackage(ROOT + ".docker..")
                .should().onlyHaveDependentClassesThat().resideInAnyPackage(ROOT + ".docker..",
                        ROOT + ".discovery..", ROOT + ".collect..", ROOT + ".cycle..")
                .check(main);
    }

    @Test
    void sinksKnowOnlyTheSnapshotAndTheirSeam() {
        noClasses().that().resideInAPackage(ROOT + ".sink..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".discovery..", ROOT + ".collect..",
                        ROOT + ".derive..", ROOT + ".docker..", ROOT + ".cycle..", ROOT + ".web..",
                        ROOT + ".health..", ROOT + ".cli..")
                .because("a sink gets snapshots; it never reaches into a stage, the cycle or a reader")
                .check(main);
        java.util.List<String> sinks = java.util.List.of("prometheus", "mackerel", "otlp");
        for (String sink : sinks) {
            for (String other : sinks) {
                if (!other.equals(sink)) {
                    noClasses().that().resideInAPackage(ROOT + ".sink." + sink + "..")
                            .should().dependOnClassesThat().resideInAPackage(ROOT + ".sink." + other + "..")
                            .check(main);
                }
            }
        }
    }

    @Test
    void theInstanceIdentityImportsOnlyTheLeaves() {
        classes().that().resideInAPackage(ROOT + ".instance..")
                .should().onlyDependOnClassesThat(com.tngtech.archunit.base.DescribedPredicate.or(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage(ROOT + ".."),
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(ROOT + ".instance..",
                                ROOT + ".model..", ROOT + ".config..", ROOT + ".util..")))
                .because("the instance is the relay's: sinks read it, it knows no sink, stage or reader")
                .check(main);
    }

    @Test
    void theSeamNamesNoSink() {
        noClasses().that().resideInAPackage(ROOT + ".sink")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".sink.*..")
                .because("sinks plug in by themselves: the dispatcher and the status know none of them")
                .check(main);
    }

    @Test
    void readersReadTheLatestSnapshotAndSinkStatusesOnly() {
        for (String reader : READERS) {
            noClasses().that().resideInAPackage(reader)
                    .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".discovery..", ROOT + ".collect..",
                            ROOT + ".derive..", ROOT + ".docker..", ROOT + ".cycle..", ROOT + ".sink.*..")
                    .because("the page and health render the latest snapshot and what each sink says of itself")
                    .check(main);
        }
    }

    @Test
    void commandsRunCyclesThroughTheCycleNotTheStages() {
        noClasses().that().resideInAPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".discovery..", ROOT + ".collect..",
                        ROOT + ".derive..", ROOT + ".docker..")
                .check(main);
    }
}
