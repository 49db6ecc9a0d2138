"""Chinese word lists and the catalogue of units the simulated group is made of."""

from __future__ import annotations

from crawler.categories import Category, UnitType
from simulator.model import Rhythm

PROVINCE = "陕西省"
BUREAU = "质量技术监督局"
PORTAL_NAME = f"{PROVINCE}{BUREAU}"

# (id, short name, department sources) for the three 处室 sites.
DEPARTMENT_UNITS: list[tuple[str, str]] = [
    ("jlc", "计量处"),
    ("tzc", "特种设备安全监察处"),
    ("bzc", "标准化处"),
    ("zljd", "质量监督处"),
    ("fgc", "法规处"),
    ("kjc", "科技处"),
    ("spc", "食品生产监管处"),
]

# (id prefix, city) — the default world uses the first six.
CITIES: list[tuple[str, str]] = [
    ("xa", "西安市"),
    ("bj", "宝鸡市"),
    ("xy", "咸阳市"),
    ("wn", "渭南市"),
    ("ya", "延安市"),
    ("hz", "汉中市"),
    ("tc", "铜川市"),
    ("yl", "榆林市"),
    ("ak", "安康市"),
    ("sl", "商洛市"),
]

COUNTIES: list[str] = [
    "长安区",
    "临潼区",
    "户县",
    "周至县",
    "凤翔县",
    "岐山县",
    "三原县",
    "泾阳县",
    "富平县",
    "蒲城县",
    "洛川县",
    "城固县",
]

AFFILIATED_UNITS: list[tuple[str, str]] = [
    ("jly", "陕西省计量科学研究院"),
    ("tjy", "陕西省特种设备检验检测研究院"),
    ("bzy", "陕西省标准化研究院"),
    ("zjy", "陕西省产品质量监督检验研究院"),
]

PORTAL_DEPARTMENTS = [
    "办公室",
    "计量处",
    "特种设备安全监察处",
    "标准化处",
    "质量监督处",
    "法规处",
    "人事处",
    "食品生产监管处",
    "科技处",
    "稽查总队",
]
CITY_DEPARTMENTS = ["办公室", "计量科", "特种设备安全监察科", "标准化科", "质量监督科", "稽查支队"]
AFFILIATED_DEPARTMENTS = ["办公室", "业务科", "检测中心", "质量管理部", "综合部"]

# Column catalogue: (name, slug, category, rhythm on a busy site).
PORTAL_COLUMNS: list[tuple[str, str, Category, Rhythm]] = [
    ("质监要闻", "zjyw", Category.NEWS, Rhythm.DAILY),
    ("工作动态", "gzdt", Category.NEWS, Rhythm.DAILY),
    ("通知公告", "tzgg", Category.NOTICE, Rhythm.MONTHLY),
    ("政策法规", "zcfg", Category.POLICY, Rhythm.POLICY),
    ("信息公开", "xxgk", Category.DISCLOSURE, Rhythm.DISCLOSURE),
    ("机构职能", "jgzn", Category.BASIC_INFO, Rhythm.RARE),
    ("领导信息", "ldxx", Category.BASIC_INFO, Rhythm.RARE),
    ("人事信息", "rsxx", Category.PERSONNEL, Rhythm.RARE),
    ("规划计划", "ghjh", Category.PLANNING, Rhythm.RARE),
    ("财政预决算", "czyjs", Category.FINANCE, Rhythm.RARE),
    ("统计数据", "tjsj", Category.STATISTICS, Rhythm.RARE),
    ("办事服务", "bsfw", Category.SERVICE, Rhythm.SERVICE),
    ("在线访谈", "zxft", Category.INTERVIEW, Rhythm.BLANK),
]

SMALL_SITE_COLUMNS: list[tuple[str, str, Category, Rhythm]] = [
    ("工作动态", "gzdt", Category.NEWS, Rhythm.WEEKLY),
    ("通知公告", "tzgg", Category.NOTICE, Rhythm.MONTHLY),
    ("政策法规", "zcfg", Category.POLICY, Rhythm.POLICY),
    ("机构职能", "jgzn", Category.BASIC_INFO, Rhythm.RARE),
    ("人事信息", "rsxx", Category.PERSONNEL, Rhythm.RARE),
    ("规划计划", "ghjh", Category.PLANNING, Rhythm.RARE),
    ("财政预决算", "czyjs", Category.FINANCE, Rhythm.RARE),
    ("统计数据", "tjsj", Category.STATISTICS, Rhythm.RARE),
    ("办事服务", "bsfw", Category.SERVICE, Rhythm.SERVICE),
]

# 信息公开目录 sub-columns of basic information a small site may open besides its own five.
DISCLOSURE_CATALOGUE_COLUMNS: list[tuple[str, str, Category, Rhythm]] = [
    ("领导信息", "ldxx", Category.BASIC_INFO, Rhythm.RARE),
    ("内设机构", "nsjg", Category.BASIC_INFO, Rhythm.RARE),
    ("人事任免", "rsrm", Category.PERSONNEL, Rhythm.RARE),
    ("部门预算", "bmys", Category.FINANCE, Rhythm.RARE),
    ("三公经费", "sgjf", Category.FINANCE, Rhythm.RARE),
    ("统计公报", "tjgb", Category.STATISTICS, Rhythm.RARE),
]

# Columns an institute's site may add for its trade: news, notices and rules of the trade, and
# service and interaction columns.
TRADE_COLUMNS: list[tuple[str, str, Category, Rhythm]] = [
    ("检验动态", "jydt", Category.NEWS, Rhythm.WEEKLY),
    ("行业资讯", "hyzx", Category.NEWS, Rhythm.WEEKLY),
    ("安全动态", "aqdt", Category.NEWS, Rhythm.WEEKLY),
    ("检验公告", "jygg", Category.NOTICE, Rhythm.MONTHLY),
    ("法规标准", "fgbz", Category.POLICY, Rhythm.POLICY),
    ("检验指南", "jyzn", Category.SERVICE, Rhythm.SERVICE),
    ("下载中心", "xzzx", Category.SERVICE, Rhythm.SERVICE),
    ("在线访谈", "zxft", Category.INTERVIEW, Rhythm.BLANK),
    ("调查征集", "dczj", Category.SURVEY, Rhythm.BLANK),
]

CITY_EXTRA_COLUMNS: list[tuple[str, str, Category, Rhythm]] = [
    ("质监要闻", "zjyw", Category.NEWS, Rhythm.DAILY),
]

UNIT_TYPE_CYCLE: list[UnitType] = [
    UnitType.DEPARTMENT,
    UnitType.CITY,
    UnitType.COUNTY,
    UnitType.AFFILIATED,
]

# Words for titles.
TOPICS = [
    "计量",
    "特种设备",
    "标准化",
    "食品生产",
    "产品质量",
    "认证认可",
    "质量强省",
    "名牌战略",
    "电梯安全",
    "锅炉压力容器",
    "加油机计量",
    "民生计量",
    "工业产品生产许可证",
    "打假维权",
    "能源计量",
    "地理标志产品保护",
    "组织机构代码",
    "检验检测",
    "质量安全风险监控",
    "节能减排",
]
ACTIONS = ["专项检查", "监督抽查", "集中整治", "执法检查", "培训", "宣传", "安全大检查", "督查"]
MEETINGS = ["工作会议", "座谈会", "推进会", "培训班", "现场会", "动员大会", "经验交流会"]
ACHIEVEMENTS = ["取得明显成效", "扎实推进", "成效显著", "稳步开展", "全面启动", "圆满完成"]
SERVICES = [
    "特种设备作业人员考核",
    "计量器具型式批准",
    "工业产品生产许可证申请",
    "组织机构代码证办理",
    "计量标准考核",
    "商品条码注册",
    "产品质量检验机构资格认定",
]
LEADER_ROLES = ["局长", "副局长", "纪检组长", "总工程师"]
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱"]
GIVEN = ["建国", "志强", "秀英", "海涛", "立新", "晓明", "卫东", "红梅", "振华", "文博", "国栋"]
QUESTIONS = [
    "关于电子秤强制检定的咨询",
    "咨询电梯年检收费标准",
    "举报加油站计量作弊",
    "关于组织机构代码证年检的问题",
    "请问锅炉操作证如何办理",
    "关于食品生产许可证延续的咨询",
    "反映农贸市场缺斤短两问题",
    "咨询产品标准备案流程",
    "关于出租车计价器检定的问题",
    "咨询特种设备作业人员证复审",
    "反映小区电梯长期故障",
    "关于眼镜店验光仪检定的咨询",
    "咨询企业标准自我声明",
    "举报无证生产纯净水",
]
SENTENCES = [
    "会议强调，各级质监部门要进一步提高认识，切实把各项工作落到实处。",
    "此次活动覆盖全省各市区，共出动执法人员三百余人次。",
    "各单位要加强组织领导，明确责任分工，确保工作取得实效。",
    "检查中发现的问题已责令相关企业限期整改。",
    "下一步，我局将继续加大监管力度，切实保障人民群众生命财产安全。",
    "与会人员围绕当前重点工作进行了深入交流和讨论。",
    "通过此次培训，进一步提升了基层执法人员的业务能力。",
    "请各单位按照要求，认真组织实施，并及时报送工作情况。",
    "本办法自发布之日起施行，由省质量技术监督局负责解释。",
    "全年累计检定计量器具十二万余台件，受检率达到百分之九十八。",
]
REPLIES = [
    "您好！您反映的问题已转相关业务处室核实处理，感谢您对质监工作的关心和支持。",
    "您好！根据《中华人民共和国计量法》相关规定，该类计量器具属于强制检定范围，请向当地计量检定机构申请检定。",
    "您好！经核查，相关企业已被责令整改，我局将持续跟踪监督。",
    "您好！具体办理流程和所需材料请见本网站办事服务栏目，也可拨打咨询电话。",
]
