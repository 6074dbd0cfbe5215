"An Optuna user's existing study of a random forest on Titanic, then the same study continued with MetaSampler."
import optuna, pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score
from metahpo.experience import load_experience
from metahpo.integrations.optuna import MetaSampler, suggest
from metahpo.metafeatures import metafeatures
from metahpo.space import get_space

df = pd.read_csv('/work/shared/data/titanic/train.csv')
X = pd.get_dummies(df[['Pclass', 'Sex', 'Age', 'SibSp', 'Parch', 'Fare', 'Embarked']]).fillna(-1)
y = df['Survived']
space = get_space('random_forest')
def objective(trial):
    c = suggest(trial, space)
    return cross_val_score(RandomForestClassifier(**c, random_state=0, n_jobs=1), X, y, cv=5).mean()

storage = 'sqlite:///optuna.db'
study = optuna.create_study(study_name='titanic-rf', storage=storage, direction='maximize', load_if_exists=True)
study.optimize(objective, n_trials=4)  # the user's study so far, with Optuna's default sampler
print('before:', len(study.trials), 'trials, best', round(study.best_value, 4))
# the one change: the same study, continued with MetaSampler (warm-started from the shipped experience base)
mf = metafeatures('tabular', df.drop(columns=['Survived']), y)
study = optuna.load_study(study_name='titanic-rf', storage=storage,
                          sampler=MetaSampler(space, experience=load_experience(), meta_features=mf, task='titanic'))
study.optimize(objective, n_trials=6)
print('after:', len(study.trials), 'trials, best', round(study.best_value, 4), study.best_params)
print('distinct configurations:', len({tuple(sorted(t.params.items())) for t in study.trials}), 'of', len(study.trials))
